import { sql } from 'drizzle-orm';
import { DEFAULT_SMS_TEMPLATES } from '@liudong/domain';
import { queryRows, type Db, type Tx } from '../../platform/db';

/**
 * Creates the default templates (issue 4 §6, DEFAULT_SMS_TEMPLATES) whose name does not exist
 * yet. Idempotent and safe with two instances starting at once (on conflict do nothing); an
 * edited default keeps its edits (to retire one, set it inactive rather than renaming it).
 * Called at server start and usable by the demo seed. Returns the names it created.
 */
export async function ensureDefaultSmsTemplates(db: Db | Tx): Promise<string[]> {
  const created: string[] = [];
  for (const t of DEFAULT_SMS_TEMPLATES) {
    const rows = await queryRows<{ name: string }>(
      db,
      sql`insert into sms_template (name, kind, body)
          values (${t.name}, ${t.kind}, ${t.body})
          on conflict (name) do nothing
          returning name`,
    );
    if (rows.length > 0) created.push(t.name);
  }
  return created;
}

/**
 * Active templates the daily job or a broadcast may use that carry no provider template code.
 * With a real provider (Aliyun needs an approved 模板 CODE per message) their messages would
 * fail, so the server names them at start-up.
 */
export async function templatesWithoutProviderCode(db: Db | Tx): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select name from sms_template
         where active and (provider_template_code is null or provider_template_code = '')
         order by name`,
  );
  return rows.map((r) => r.name);
}
