/**
 * Characters that make a spreadsheet program read a cell as a formula (or a DDE command) when
 * the text is typed or pasted in: = + - @ tab CR, and their full-width forms, which some
 * programs fold to ASCII (SECURITY.md 22).
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);

/**
 * A text value as a literal cell: one that starts with a formula trigger gets a leading single
 * quote, so it is shown and re-imported as text. exceljs 4.4 cannot write the `quotePrefix` cell
 * style, so the quote is part of the value (the OWASP "CSV injection" rule). Empty and null stay
 * empty.
 */
export function literalCell(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  return FORMULA_TRIGGERS.has(value.charAt(0)) ? `'${value}` : value;
}
