import type { FormInstance } from 'antd';
import type { z } from 'zod';

export interface FieldError {
  name: (string | number)[];
  errors: string[];
}

/**
 * The issues of a failed `safeParse` of a contract schema, grouped per form field, for
 * `form.setFields`. The messages are Chinese because main.tsx sets zod's zh-CN locale.
 */
export function zodIssuesToFields(error: z.ZodError): FieldError[] {
  const byField = new Map<string, FieldError>();
  for (const issue of error.issues) {
    const name = issue.path.filter(
      (part): part is string | number => typeof part === 'string' || typeof part === 'number',
    );
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(issue.message);
    byField.set(key, entry);
  }
  return [...byField.values()];
}

/** Shows a contract schema's complaints next to the fields they are about. */
export function showZodErrors<T>(form: FormInstance<T>, error: z.ZodError): void {
  // The issue paths come from the same schema the form fills, so they name this form's fields.
  form.setFields(zodIssuesToFields(error) as Parameters<FormInstance<T>['setFields']>[0]);
}
