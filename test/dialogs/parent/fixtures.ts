// Fixtures of the parent dialog tests, written directly with ctx.db: two schools (one with a
// name shared by another), a pupil and a guardian with a confirmed email and mobile.
import type { ServiceContext } from '../../../services/context.js';
import { searchKey } from '../../../services/text.js';
import { hashPassword } from '../../../services/passwords.js';
import { createRecognizer } from '../../../bot/recognizer/recognizer.js';
import { RootDialog } from '../../../dialogs/shared/root-dialog.js';
import { registerParentDialogs } from '../../../dialogs/parent/index.js';
import type { IntentRecognizer } from '../../../dialogs/types.js';
import { dialogDeps } from '../../helpers/dialogs.js';

export const KNOWN = {
  uai: '0311478N',
  schoolName: 'École élémentaire Jules Ferry',
  identifier: 'c.dupont114',
  email: 'celine.dupont@exemple.fr',
  mobile: '+33612345678',
  mobileTyped: '06 12 34 56 78',
} as const;

export const UNKNOWN = {
  identifier: 'x.personne9',
  email: 'personne.inconnue@exemple.fr',
  mobileTyped: '06 98 76 54 32',
} as const;

export async function seedParentFixtures(ctx: ServiceContext): Promise<{ guardianId: number }> {
  await ctx.db.school.createMany({
    data: [
      { uai: KNOWN.uai, name: KNOWN.schoolName, academy: 'Toulouse', degree: 'FIRST' },
      { uai: '0310001A', name: 'École maternelle Jules Ferry', academy: 'Toulouse', degree: 'FIRST' },
      { uai: '0350002B', name: 'Collège Anne de Bretagne', academy: 'Rennes', degree: 'SECOND' },
    ],
  });
  const cls = await ctx.db.schoolClass.create({ data: { schoolUai: KNOWN.uai, name: 'CM1 A', level: 'CM1' } });
  const pupil = await ctx.db.pupil.create({
    data: {
      ine: '123456789AB',
      lastName: 'Dupont',
      firstName: 'Léa',
      searchName: searchKey('Dupont', 'Léa'),
      birthDate: new Date('2015-03-14'),
      schoolUai: KNOWN.uai,
      classId: cls.id,
    },
  });
  const guardian = await ctx.db.guardian.create({
    data: {
      identifier: KNOWN.identifier,
      lastName: 'Dupont',
      firstName: 'Céline',
      searchName: searchKey('Dupont', 'Céline'),
      email: KNOWN.email,
      emailConfirmed: true,
      mobile: KNOWN.mobile,
      mobileConfirmed: true,
      state: 'ACTIVATED',
      origin: 'SCHOOL',
      credential: { create: { passwordHash: await hashPassword('Un-Mot-De-Passe-2024'), isTemporary: false } },
      pupils: { create: { pupilId: pupil.id } },
    },
  });
  return { guardianId: guardian.id };
}

let shared: Promise<IntentRecognizer> | undefined;
/** The real recognizer (trained once per test file). */
export const realRecognizer = (): Promise<IntentRecognizer> => (shared ??= createRecognizer());

/** The root dialog with every parent route, as the bot builds it. */
export async function parentRoot(ctx: ServiceContext): Promise<RootDialog> {
  const deps = dialogDeps(ctx, await realRecognizer());
  return registerParentDialogs(new RootDialog(deps), deps);
}
