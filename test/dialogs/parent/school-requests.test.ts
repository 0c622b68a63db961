// Birth date refused, mobile not recognised, regrouping: the explanation, the school found
// (UAI, name, several matches, none), the case opened for that school, its reference shown.
import { describe, expect, it } from 'vitest';
import { clickCard, dialogClient, runTranscript, turnText, type TranscriptStep } from '../../helpers/dialogs.js';
import { MESSAGES } from '../../../dialogs/shared/messages.js';
import { getCase } from '../../../services/cases.js';
import { KNOWN, parentRoot } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { prisma, ctx } = useParentWorld();
const REFERENCE = /EDU-\d{4}-\d{6}/;

/** The child's name and the school, common to the three requests. */
const childAndSchool = (school: TranscriptStep[]): TranscriptStep[] => [
  { user: 'Dupont', bot: 'Et son prénom ?' },
  { user: 'Léa', bot: 'Dans quelle école ou quel établissement' },
  ...school,
];

async function lastCase() {
  return prisma.case.findFirstOrThrow({ orderBy: { id: 'desc' } });
}

describe('requests sent to the school', () => {
  it('birth date refused: explains the register, school by UAI, contact by mail, reference', async () => {
    const turns = await runTranscript(dialogClient(await parentRoot(ctx)), [
      { user: 'La date de naissance de mon enfant est refusée', bot: ['registre des élèves', "Quel est le nom de famille de l'enfant concerné ?"] },
      ...childAndSchool([{ user: KNOWN.uai, bot: 'Quelle date de naissance avez-vous saisie' }]),
      { user: 'le 12 mars', bot: 'sous la forme jour/mois/année' },
      { user: '31/02/2016', bot: 'sous la forme jour/mois/année' },
      { user: '12/03/2016', bot: 'indiquez une adresse e-mail ou un numéro de portable' },
      { user: 'parent@exemple.fr', bot: [REFERENCE, KNOWN.schoolName, '1 à 2 jours', 'p***t@exemple.fr'], not: ['parent@exemple.fr', '12/03/2016'] },
    ]);
    const c = await lastCase();
    expect(c).toMatchObject({
      kind: 'BIRTH_DATE',
      schoolUai: KNOWN.uai,
      contactEmail: 'parent@exemple.fr',
      state: 'OPEN',
      chatRefKey: expect.stringMatching(/^conversation:webchat:/),
    });
    expect(c.typedEnc).toMatch(/^v1\./);
    expect((await getCase(ctx, { kind: 'agent', staffId: 'a', name: 'A' }, c.reference)).typed).toEqual({
      label: 'Date de naissance saisie (refusée)',
      value: '12/03/2016',
    });
    expect(c.summary).toContain('Léa DUPONT');
    expect(turnText(turns.at(-1) ?? [])).toContain(c.reference);
  });

  it('mobile not recognised: the number to record is the contact; school chosen among several', async () => {
    await runTranscript(dialogClient(await parentRoot(ctx)), [
      { user: "Mon numéro de portable n'est pas reconnu", bot: ["exactement celui que l'école", 'nom de famille'] },
      ...childAndSchool([
        { user: 'école Jules Ferry', bot: ['Plusieurs établissements correspondent', KNOWN.schoolName, 'École maternelle Jules Ferry'] },
        { user: (prev) => clickCard(prev, KNOWN.uai), bot: 'Quels sont votre nom et votre prénom' },
      ]),
      { user: 'Céline Dupont', bot: "Quel numéro de portable l'école doit-elle enregistrer ?" },
      { user: 'mon numéro', bot: "Merci d'indiquer un numéro de téléphone portable" },
      { user: '0612345678', bot: [REFERENCE, 'par SMS (+33*******78)', 'chaque nuit'] },
    ]);
    const c = await lastCase();
    expect(c).toMatchObject({
      kind: 'MOBILE',
      schoolUai: KNOWN.uai,
      contactMobile: KNOWN.mobile,
      details: { parentName: 'Céline Dupont', childFirstName: 'Léa' },
    });
    expect((await getCase(ctx, { kind: 'agent', staffId: 'a', name: 'A' }, c.reference)).typed).toEqual({
      label: 'Numéro saisi (non reconnu)',
      value: KNOWN.mobile,
    });
    expect(c.summary).toContain('responsable : Céline Dupont');
  });

  it('school not found: asked again, then human help after 3 tries (no case)', async () => {
    const before = await prisma.case.count();
    await runTranscript(dialogClient(await parentRoot(ctx)), [
      { user: 'La date de naissance de mon enfant est refusée', bot: 'nom de famille' },
      ...childAndSchool([
        { user: 'Lycée Imaginaire', bot: ['Je ne trouve aucun établissement', 'Dans quelle école'] },
        { user: '9999999Z', bot: 'Je ne trouve aucun établissement' },
        { user: 'école Jules Ferry', bot: 'Plusieurs établissements correspondent' },
        { user: 'aucun', bot: [MESSAGES.gaveUp, '0 809 54 06 06'] },
      ]),
    ]);
    expect(await prisma.case.count()).toBe(before);
  });

  it('regroup: conditions and steps, then a REGROUP request to the other school', async () => {
    await runTranscript(dialogClient(await parentRoot(ctx)), [
      {
        user: 'Regrouper mes enfants sur un seul compte',
        bot: [
          'identiques sur les deux comptes',
          'mot de passe provisoire',
          'Ajouter des élèves depuis un autre compte',
          `${ctx.settings.publicUrl}/mon-compte`,
          'Voulez-vous que je demande',
        ],
      },
      { user: (prev) => clickCard(prev, 'yes'), bot: 'nom de famille' },
      { user: 'Dupont', bot: 'Et son prénom ?' },
      { user: 'Hugo', bot: "l'enfant qui n'apparaît pas" },
      { user: 'Collège Anne de Bretagne', bot: 'Quels sont votre nom et votre prénom' },
      { user: 'Céline Dupont', bot: 'indiquez une adresse e-mail ou un numéro de portable' },
      { user: '06 12 34 56 78', bot: [REFERENCE, 'Collège Anne de Bretagne', 'jamais par ce chat'] },
    ]);
    expect(await lastCase()).toMatchObject({ kind: 'REGROUP', schoolUai: '0350002B', contactMobile: KNOWN.mobile });
  });

  it('email change while waiting for the activation mail: the school resends it to the right address', async () => {
    await runTranscript(dialogClient(await parentRoot(ctx)), [
      { user: "Changer l'adresse e-mail de mon compte", bot: 'Où en est votre compte EduConnect ?' },
      { user: (prev) => clickCard(prev, 'pending'), bot: 'Voulez-vous que je transmette' },
      { user: 'oui', bot: 'nom de famille' },
      { user: 'Dupont', bot: 'Et son prénom ?' },
      { user: 'Léa', bot: 'Dans quelle école' },
      { user: KNOWN.uai, bot: 'Quels sont votre nom et votre prénom' },
      { user: 'Céline Dupont', bot: 'Quelle est la bonne adresse e-mail' },
      { user: '06 12 34 56 78', bot: "Merci d'indiquer une adresse e-mail complète" },
      { user: 'celine.nouvelle@exemple.fr', bot: [REFERENCE, "renvoyer l'e-mail d'activation", 'c***e@exemple.fr'] },
    ]);
    expect(await lastCase()).toMatchObject({ kind: 'OTHER', schoolUai: KNOWN.uai, contactEmail: 'celine.nouvelle@exemple.fr' });
  });

  it('regroup declined: no case', async () => {
    const before = await prisma.case.count();
    await runTranscript(dialogClient(await parentRoot(ctx)), [
      { user: 'Regrouper mes enfants sur un seul compte', bot: 'Voulez-vous que je demande' },
      { user: 'non merci', bot: "D'accord" },
    ]);
    expect(await prisma.case.count()).toBe(before);
  });

  it('cancel and help in the middle of a request', async () => {
    const before = await prisma.case.count();
    await runTranscript(dialogClient(await parentRoot(ctx)), [
      { user: "Mon numéro de portable n'est pas reconnu", bot: 'nom de famille' },
      { user: 'aide', bot: ["nom et du prénom de l'enfant", 'nom de famille'] },
      { user: 'Dupont', bot: 'Et son prénom ?' },
      { user: 'Léa', bot: 'Dans quelle école' },
      { user: '?', bot: ['code UAI', 'Dans quelle école'] },
      { user: 'annuler', bot: MESSAGES.cancelled },
    ]);
    expect(await prisma.case.count()).toBe(before);
  });
});
