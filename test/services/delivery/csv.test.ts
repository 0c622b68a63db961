// Account list as CSV, byte for byte against a hand-written fixture.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { csvCell, renderListCsv } from '../../../services/delivery/csv.js';
import type { ListRow } from '../../../services/delivery/types.js';

const school = { uai: '0311556Y', schoolName: 'E.M.PU-LE RAMIER-ac-TOULOUSE' };
const rows: ListRow[] = [
  {
    ...school,
    pupilLastName: "'DXERNAD",
    pupilFirstName: 'Bilal',
    level: 'Moyenne section',
    className: 'Classe 5 -MS - Mme DARTHOUT Emmanuelle',
    guardianLastName: 'COSAMS',
    guardianFirstName: 'Abdelkader',
    identifier: 'a.cosams',
    password: '63MW8K3N',
  },
  {
    ...school,
    pupilLastName: 'XECIDIGU',
    pupilFirstName: 'Ismaïl',
    level: 'Grande section',
    className: 'Classe 6 - GS - Mme MERCADE Cathy',
    guardianLastName: 'EUOZAALM',
    guardianFirstName: 'Khadija',
    identifier: 'k.euozaalm',
    password: '*****',
  },
  {
    ...school,
    pupilLastName: '=SUM(A1;B1)',
    pupilFirstName: '@cmd',
    level: '-12',
    className: 'CM1 "Les Lutins"; bis',
    guardianLastName: '+33 NOM',
    guardianFirstName: 'Anne\nMarie',
    identifier: 'a.nom',
    password: '',
  },
  {
    ...school,
    pupilLastName: 'ŒUVRÉ',
    pupilFirstName: 'Zoé',
    level: 'Cours moyen 1re année',
    className: 'CM1/CM2',
    guardianLastName: "D'ARTAGNAN",
    guardianFirstName: 'Chloé',
    identifier: 'c.dartagnan2',
    password: '=Kq7#mPx4',
  },
];

describe('account list CSV', () => {
  it('matches the fixture: BOM, ";", CRLF, the guide column order, quoting, formula neutralisation', async () => {
    const expected = await readFile(new URL('../../fixtures/delivery/list.csv', import.meta.url));
    const bytes = renderListCsv({ rows });
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8')).toBe(expected.toString('utf8'));
    expect(bytes.equals(expected)).toBe(true);
  });

  it('neutralises every formula trigger and quotes only when needed', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@A1')).toBe("'@A1");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('Jean-Paul')).toBe('Jean-Paul');
    expect(csvCell('')).toBe('');
  });

  it('writes only the header for an empty list', () => {
    const text = renderListCsv({ rows: [] }).toString('utf8');
    expect(text.split('\r\n')).toHaveLength(2);
    expect(text.startsWith('\uFEFFRNE;Ecole;')).toBe(true);
  });
});
