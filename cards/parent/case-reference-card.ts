// The parent's request is recorded: its reference, the school it went to, what happens next.
import { adaptiveCard, facts, text, title, type AdaptiveCardJson } from '../shared/adaptive.js';

export interface CaseReferenceCardData {
  reference: string;
  /** "Date de naissance refusée", "Numéro de portable non reconnu"… */
  subject: string;
  schoolName: string;
  /** How the parent will be told (masked contact), e.g. "par e-mail". */
  contact: string;
  nextSteps: readonly string[];
}

export function caseReferenceCard(data: CaseReferenceCardData): AdaptiveCardJson {
  return adaptiveCard(
    [
      title('Votre demande est enregistrée'),
      facts([
        { title: 'Référence', value: data.reference },
        { title: 'Objet', value: data.subject },
        { title: 'Transmise à', value: data.schoolName },
        { title: 'Nous vous prévenons', value: data.contact },
      ]),
      ...data.nextSteps.map((s) => text(s)),
      text('Gardez cette référence : elle permet de suivre votre demande.', { isSubtle: true }),
    ],
    [],
    `Votre demande est enregistrée sous la référence ${data.reference}.`,
  );
}
