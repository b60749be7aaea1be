import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { zodIssuesToFields } from './zod-form';

describe('zodIssuesToFields', () => {
  it('groups issues by field path', () => {
    const schema = z.object({
      name: z.string().min(2, '太短').regex(/^a/, '须以a开头'),
      age: z.number(),
    });
    const result = schema.safeParse({ name: 'b', age: 'x' });
    expect(result.success).toBe(false);
    if (result.success) return;
    const fields = zodIssuesToFields(result.error);
    expect(fields).toContainEqual({ name: ['name'], errors: ['太短', '须以a开头'] });
    expect(fields.find((f) => f.name[0] === 'age')?.errors).toHaveLength(1);
  });

  it('uses Chinese messages once the zh-CN locale is configured', () => {
    z.config(z.locales.zhCN());
    const result = z.object({ code: z.string() }).safeParse({ code: 1 });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(zodIssuesToFields(result.error)[0]?.errors[0]).toMatch(/[\u4e00-\u9fa5]/);
  });
});
