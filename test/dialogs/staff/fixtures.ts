// Fixtures of the staff dialog tests: a director of two schools, a school that is not theirs,
// an agent, classes, pupils and guardians in every state (built on the account-service fixtures).
import type { Actor } from '../../../services/actor.js';
import type { PrismaClient } from '../../../services/db/index.js';
import { createClass, createGuardian, createPupil, createSchool } from '../../services/accounts/fixtures.js';

export const UAI_A = '0311478N';
export const UAI_B = '0310002B';
export const UAI_FOREIGN = '0750001C';

export const director: Actor = { kind: 'director', staffId: 'dir-claire', name: 'Claire Martin', uais: [UAI_A, UAI_B] };
export const singleDirector: Actor = { kind: 'director', staffId: 'dir-solo', name: 'Paul Solo', uais: [UAI_B] };
export const agent: Actor = { kind: 'agent', staffId: 'agent-paul', name: 'Paul Agent' };

export interface StaffWorld {
  classA1: number;
  classA2: number;
  /** Guardian ids by short name. */
  g: {
    dupontNotNotified: number;
    durandNotified: number;
    martinActivating: number;
    bernardActivated: number;
    petitNoEmail: number;
    foreign: number;
    schoolB: number;
  };
}

export async function buildStaffWorld(db: PrismaClient): Promise<StaffWorld> {
  await createSchool(db, UAI_A, 'École Jules Ferry', 'TOULOUSE');
  await createSchool(db, UAI_B, 'École Marie Curie', 'TOULOUSE');
  await createSchool(db, UAI_FOREIGN, 'Collège Secret', 'PARIS');
  const classA1 = await createClass(db, UAI_A, 'CM1 A', 'CM1');
  const classA2 = await createClass(db, UAI_A, 'CP B', 'CP');
  const classB = await createClass(db, UAI_B, 'CE2', 'CE2');
  const classF = await createClass(db, UAI_FOREIGN, '6E A', '6E');
  const lea = await createPupil(db, { schoolUai: UAI_A, classId: classA1, lastName: 'DUPONT', firstName: 'Léa' });
  const tom = await createPupil(db, { schoolUai: UAI_A, classId: classA1, lastName: 'DURAND', firstName: 'Tom' });
  const ines = await createPupil(db, { schoolUai: UAI_A, classId: classA2, lastName: 'MARTIN', firstName: 'Inès' });
  const hugo = await createPupil(db, { schoolUai: UAI_A, classId: classA2, lastName: 'BERNARD', firstName: 'Hugo' });
  const zoe = await createPupil(db, { schoolUai: UAI_A, classId: classA2, lastName: 'PETIT', firstName: 'Zoé' });
  const sam = await createPupil(db, { schoolUai: UAI_B, classId: classB, lastName: 'MARTIN', firstName: 'Sam' });
  const secret = await createPupil(db, { schoolUai: UAI_FOREIGN, classId: classF, lastName: 'SECRET', firstName: 'Jean' });
  return {
    classA1,
    classA2,
    g: {
      dupontNotNotified: await createGuardian(db, { lastName: 'DUPONT', firstName: 'Marie', email: 'marie.dupont@example.org', pupilIds: [lea] }),
      durandNotified: await createGuardian(db, {
        lastName: 'DURAND',
        firstName: 'Luc',
        email: 'luc.durand@example.org',
        state: 'NOTIFIED',
        tempPassword: 'Tempo-Pass-2026',
        pupilIds: [tom],
      }),
      martinActivating: await createGuardian(db, {
        lastName: 'MARTIN',
        firstName: 'Anne',
        email: 'anne.martin@example.org',
        mobile: '+33612345678',
        state: 'ACTIVATING',
        personalPassword: 'Perso-Pass-2026!',
        pupilIds: [ines, sam],
      }),
      bernardActivated: await createGuardian(db, {
        lastName: 'BERNARD',
        firstName: 'Paul',
        email: 'paul.bernard@example.org',
        state: 'ACTIVATED',
        personalPassword: 'Perso-Pass-2026!',
        pupilIds: [hugo],
      }),
      petitNoEmail: await createGuardian(db, { lastName: 'PETIT', firstName: 'Rose', state: 'NOTIFIED', tempPassword: 'Tempo-Pass-2027', pupilIds: [zoe] }),
      foreign: await createGuardian(db, {
        lastName: 'SECRET',
        firstName: 'Agathe',
        email: 'agathe.secret@example.org',
        state: 'ACTIVATED',
        personalPassword: 'Perso-Pass-2026!',
        pupilIds: [secret],
      }),
      schoolB: await createGuardian(db, {
        lastName: 'LEROY',
        firstName: 'Nina',
        email: 'nina.leroy@example.org',
        state: 'NOTIFIED',
        tempPassword: 'Tempo-Pass-2028',
        pupilIds: [sam],
      }),
    },
  };
}
