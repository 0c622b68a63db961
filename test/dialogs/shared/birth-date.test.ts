// The birth date a parent typed, as they write it, to ISO; anything else asked again.
import { describe, expect, it } from 'vitest';
import { parseBirthDate } from '../../../dialogs/shared/validators.js';

const parse = (text: string) => parseBirthDate({ text, value: undefined });

describe('parseBirthDate', () => {
  it.each([
    ['12/03/2016', '2016-03-12'],
    ['1/3/2016', '2016-03-01'],
    ['12-03-2016', '2016-03-12'],
    ['12.03.2016', '2016-03-12'],
    ['2016-03-12', '2016-03-12'],
    ['12 mars 2016', '2016-03-12'],
    ['le 1er Août 2015', '2015-08-01'],
    [' 29/02/2016 ', '2016-02-29'],
  ])('%s -> %s', (text, iso) => expect(parse(text)).toEqual({ ok: true, value: iso }));

  it.each(['31/02/2016', '29/02/2017', '12/13/2016', '12/03/16', 'mars 2016', '01/01/1850', '01/01/2999', 'MonMotDePasse2024!', '', 'x'.repeat(5000)])(
    'refuses %s',
    (text) => expect(parse(text)).toMatchObject({ ok: false, retry: expect.stringContaining('jour/mois/année') }),
  );
});
