// Off-topic requests that belong to the school. Class of fault: a question about school life
// (canteen, enrolment, marks, timetable, homework, absence, teachers) got "je ne suis pas sûr
// d'avoir compris", as if it were gibberish. The recognizer keeps `none` (the schoolTopic
// entity says why) and the parent is told who answers: the school or the ENT.
import { describe, expect, it } from 'vitest';
import { dialogClient, say, turnText } from '../../helpers/dialogs.js';
import { MESSAGES } from '../../../dialogs/shared/messages.js';
import { parentRoot, realRecognizer } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { ctx } = useParentWorld();

const SCHOOL_MATTERS: [string, string][] = [
  ['canteen', 'quel est le menu de la cantine cette semaine ?'],
  ['canteen, no accents', 'comment payer la cantine'],
  ['enrolment', 'je voudrais inscrire mon fils en petite section'],
  ['enrolment', "inscription au college pour la rentree c'est où ?"],
  ['marks', 'je ne vois pas les notes de ma fille'],
  ['marks, ENT content', "le bulletin du 2e trimestre n'apparait pas dans l'ENT"],
  ['timetable', "où trouver l'emploi du temps de mon fils"],
  ['timetable', 'quand sont les vacances'],
  ['homework', 'le cahier de textes est vide'],
  ['absence', 'mon fils est malade il sera absent demain'],
  ['teachers', 'je voudrais un rendez-vous avec la maitresse'],
];

describe('school matters', () => {
  it.each(SCHOOL_MATTERS)('%s: "%s" -> ask the school or the ENT', async (_topic, text) => {
    const recognition = await (await realRecognizer()).recognize(text);
    expect(recognition.intent).toBe('none');
    expect(recognition.entities.schoolTopic?.length).toBeGreaterThan(0);
    const reply = turnText(await say(dialogClient(await parentRoot(ctx)), text));
    expect(reply).toContain(MESSAGES.schoolMatter);
    expect(reply).not.toContain("Je ne suis pas sûr d'avoir compris");
    expect(reply).toContain("[J'ai perdu mon identifiant]");
  });

  it.each([
    ["je ne peux pas voir les notes, j'ai oublié mon mot de passe", 'Quel est votre identifiant EduConnect ?'],
    ["je veux m'inscrire par sms mais mon numéro n'est pas reconnu", "exactement celui que l'école"],
    ['inscription par sms : numéro inconnu', "exactement celui que l'école"],
  ])('an account problem mentioning school life is still ours: "%s"', async (text, expected) => {
    expect(turnText(await say(dialogClient(await parentRoot(ctx)), text))).toContain(expected);
  });

  it('gibberish and other off-topic requests are still "not understood"', async () => {
    for (const text of ['quel temps fera-t-il demain ?', 'zorglub bidule']) {
      expect(turnText(await say(dialogClient(await parentRoot(ctx)), text))).toContain("Je ne suis pas sûr d'avoir compris");
    }
  });
});
