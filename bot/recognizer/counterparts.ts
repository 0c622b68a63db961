// Parents act on their own account, staff on other people's. Three requests exist on both
// sides (a lost password and its reset by the school, a missing activation mail and its
// resending, a lost identifier and an account lookup) and share most of their words: who the
// request is about decides. A deterministic rule on normalised text (normalize.ts):
// - a staff request in the first person that names nobody else ("je voudrais un nouveau
//   mot de passe") is the parent's own request;
// - a parent request about someone else ("M. Girard n'a pas reçu son mail d'activation",
//   "une maman me dit qu'elle n'a pas reçu le mail") and not about "mon/ma/mes" is the staff
//   request.
import { COUNTERPART_INTENTS, type IntentName } from '../../dialogs/types.js';

/** Parent request -> the staff request about another person's account. */
const STAFF_SIDE: ReadonlyMap<IntentName, IntentName> = new Map(COUNTERPART_INTENTS);
const PARENT_SIDE: ReadonlyMap<IntentName, IntentName> = new Map([...STAFF_SIDE].map(([parent, staff]) => [staff, parent]));

/** Someone other than the writer: a named person, an identifier, "ce parent", "son mot de passe"… */
const OTHER_PERSON =
  /\b(?:xpersonne|xidentifiant|xemail|(?:ce|cet|cette|ces|un|une|le|la|les|des|du|au|aux|d un|d une|l|tous les|toutes les) (?:parents?|responsables?|familles?|tuteurs?|tutrices?|representants?|guardians?|eleves?)|(?:ce|ces|des|les|tous les) comptes?|famille \w+|classe|en masse|son|sa|ses|leur|leurs|lui|for this|the parent|s password)\b/;

/** The writer speaks of themselves ("je voudrais un nouveau mot de passe"). */
const OWN = /\b(?:mon|ma|mes|my|moi|me|m|je|j)\b/;
/** The writer's own account ("mon mail d'activation"): a staff member speaks of others'. */
const MINE = /\b(?:mon|ma|mes|my)\b/;

/** The intent on the side of the person the request is about. */
export function sideOf(intent: IntentName, normalized: string): IntentName {
  const parentSide = PARENT_SIDE.get(intent);
  if (parentSide && OWN.test(normalized) && !OTHER_PERSON.test(normalized)) return parentSide;
  const staffSide = STAFF_SIDE.get(intent);
  if (staffSide && OTHER_PERSON.test(normalized) && !MINE.test(normalized)) return staffSide;
  return intent;
}
