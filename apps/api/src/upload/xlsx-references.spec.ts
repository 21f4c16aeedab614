import { addReferences, lacksReferences } from './xlsx-references';

describe('cell references of XLSX sheets', () => {
  it('numbers rows and cells that have none from the ones before them, keeping those given', () => {
    const xml =
      '<sheetData><row><c t="s"><v>0</v></c><c/></row><row r="5"><c r="C5"><v>1</v></c><c><v>2</v></c></row>' +
      '<row><c><v>3</v></c></row><x:row><x:c><x:v>4</x:v></x:c></x:row></sheetData><cols><col min="1"/></cols>';
    expect(addReferences(xml)).toBe(
      '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"/></row><row r="5"><c r="C5"><v>1</v></c><c r="D5"><v>2</v></c></row>' +
        '<row r="6"><c r="A6"><v>3</v></c></row><x:row r="7"><x:c r="A7"><x:v>4</x:v></x:c></x:row></sheetData><cols><col min="1"/></cols>',
    );
  });

  it('tells a sheet without references from one with them', () => {
    expect(lacksReferences('<row r="1"><c r="A1"><v>1</v></c></row>')).toBe(false);
    expect(lacksReferences('<row r="1"><c><v>1</v></c></row>')).toBe(true);
    expect(lacksReferences('<row><c r="A1"/></row>')).toBe(true);
  });
});
