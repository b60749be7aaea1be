/** Lines from an error's `details` worth showing (password policy violations, field errors). */
export function describeErrorDetails(details: unknown): string[] {
  if (!details) return [];
  const lines: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === 'string') lines.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.message === 'string') {
        const where =
          Array.isArray(record.path) && record.path.length ? `${record.path.join('.')}：` : '';
        lines.push(`${where}${record.message}`);
      } else {
        for (const key of ['violations', 'issues', 'errors', 'fields']) {
          if (key in record) visit(record[key]);
        }
      }
    }
  };
  visit(details);
  return [...new Set(lines)];
}
