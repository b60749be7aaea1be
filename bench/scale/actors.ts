/**
 * The officers the scenarios act as, added to a generated database (the generator makes data,
 * not accounts): the province's org department admin (组织部管理员 at the root, with TOTP), an
 * officer of the street committee with the most outbound members (党(工)委工作人员), and the
 * liaison with the most assigned members, now holding an account (联络员). They sign in through
 * the real endpoints. The mixed load's 50 sessions (street and branch officers, liaisons) are
 * written as session rows the way login writes them: login is limited to 30 per minute per IP
 * (SECURITY.md 3), and signing in is not what the load measures.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Role } from '@liudong/domain';
import { hashPassword } from '../../apps/server/src/platform/password';
import { newToken, sessionIdOf } from '../../apps/server/src/platform/session-token';
import { newTotpSecret } from '../../apps/server/src/platform/totp';

export const BENCH_PASSWORD = 'Bench-Passw0rd-2026';

export interface Actor {
  username: string;
  password: string;
  totpSecret: string | null;
  role: Role;
  orgId: string;
  orgName: string;
  /** Members of the org's subtree (the liaison: members assigned). */
  members: number;
  accountId: string;
}

export interface LoadSession {
  username: string;
  role: Role;
  orgName: string;
  /** The cookie value (the session token) and its CSRF token. */
  cookie: string;
  csrf: string;
}

export interface Actors {
  province: Actor;
  street: Actor;
  liaison: Actor & { liaisonId: string };
  load: LoadSession[];
}

async function addAccount(
  client: pg.Client,
  passwordHash: string,
  o: { username: string; role: Role; orgId: string; totp: boolean },
) {
  const accountId = randomUUID();
  const totpSecret = o.totp ? newTotpSecret() : null;
  await client.query(
    `insert into account (id, username, display_name, password_hash, password_changed_at,
       must_change_password, totp_secret, totp_enabled, home_org_id)
     values ($1, $2, $2, $3, now(), false, $4, $5, $6)`,
    [accountId, o.username, passwordHash, totpSecret, o.totp, o.orgId],
  );
  const grantId = randomUUID();
  await client.query(
    `insert into role_grant (id, account_id, role, org_id, granted_at) values ($1, $2, $3, $4, now())`,
    [grantId, accountId, o.role, o.orgId],
  );
  return { accountId, grantId, totpSecret };
}

/** Removes the bench accounts and their sessions (a rerun on the same data starts clean). */
async function removeBenchAccounts(client: pg.Client) {
  await client.query(`update liaison set account_id = null
    where account_id in (select id from account where username like 'bench\\_%')`);
  for (const table of ['session', 'role_grant', 'login_attempt', 'notification', 'sms_message'])
    await client.query(
      `delete from ${table} where account_id in
       (select id from account where username like 'bench\\_%')`,
    );
  await client.query(`delete from account where username like 'bench\\_%'`);
}

export async function createActors(databaseUrl: string, loadSessions = 50): Promise<Actors> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await removeBenchAccounts(client);
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const root = (
      await client.query<{ id: string; name: string }>(
        'select id, name from org where parent_id is null order by path limit 1',
      )
    ).rows[0]!;
    const totalMembers = Number(
      (await client.query<{ n: string }>('select count(*) as n from member')).rows[0]!.n,
    );
    // Committees one level above the branches, by their open outbound members.
    const committees = (
      await client.query<{ id: string; name: string; n: string }>(
        `select o.id, o.name, count(*) as n
           from member m
           join org b on b.id = m.org_id and b.depth = 5
           join org o on o.id = split_part(b.path, '/', 5)::uuid
          where o.kind = 'committee'
          group by o.id, o.name
          order by count(*) desc, o.id
          limit $1`,
        [Math.max(1, Math.ceil(loadSessions * 0.3))],
      )
    ).rows;
    const branches = (
      await client.query<{ id: string; name: string; n: string }>(
        `select o.id, o.name, count(*) as n
           from org o join member m on m.org_id = o.id
           join mobility y on y.member_id = m.id and y.direction = 'outflow' and y.ended_on is null
          where o.kind = 'branch'
          group by o.id, o.name
          order by count(*) desc, o.id
          limit $1`,
        [Math.max(1, Math.ceil(loadSessions * 0.4))],
      )
    ).rows;
    const liaisons = (
      await client.query<{ id: string; org_id: string; name: string; n: string }>(
        `select l.id, l.org_id, o.name, count(*) as n
           from liaison l join liaison_assignment a on a.liaison_id = l.id and a.ended_on is null
           join org o on o.id = l.org_id
          where l.active
          group by l.id, l.org_id, o.name
          order by count(*) desc, l.id
          limit $1`,
        [
          Math.max(
            1,
            loadSessions - Math.ceil(loadSessions * 0.3) - Math.ceil(loadSessions * 0.4) + 1,
          ),
        ],
      )
    ).rows;

    const p = await addAccount(client, passwordHash, {
      username: 'bench_province',
      role: 'org_admin',
      orgId: root.id,
      totp: true,
    });
    const street = committees[0]!;
    const s = await addAccount(client, passwordHash, {
      username: 'bench_street',
      role: 'committee_officer',
      orgId: street.id,
      totp: false,
    });
    const top = liaisons[0]!;
    const l = await addAccount(client, passwordHash, {
      username: 'bench_liaison',
      role: 'liaison',
      orgId: top.org_id,
      totp: false,
    });
    await client.query('update liaison set account_id = $1 where id = $2', [l.accountId, top.id]);

    const load: LoadSession[] = [];
    const positions: { role: Role; orgId: string; orgName: string; liaisonId?: string }[] = [
      ...committees.map((c) => ({
        role: 'committee_officer' as const,
        orgId: c.id,
        orgName: c.name,
      })),
      ...branches.map((b) => ({ role: 'branch_officer' as const, orgId: b.id, orgName: b.name })),
      ...liaisons.slice(1).map((x) => ({
        role: 'liaison' as const,
        orgId: x.org_id,
        orgName: x.name,
        liaisonId: x.id,
      })),
    ].slice(0, loadSessions);
    for (const [i, position] of positions.entries()) {
      const username = `bench_load_${String(i + 1).padStart(2, '0')}`;
      const a = await addAccount(client, passwordHash, {
        username,
        role: position.role,
        orgId: position.orgId,
        totp: false,
      });
      if (position.liaisonId)
        await client.query('update liaison set account_id = $1 where id = $2', [
          a.accountId,
          position.liaisonId,
        ]);
      const token = newToken();
      const csrf = randomBytes(24).toString('base64url');
      await client.query(
        `insert into session (id, account_id, stage, active_grant_id, csrf_token, ip, created_at,
           last_seen_at, expires_at)
         values ($1, $2, 'done', $3, $4, '127.0.0.1', now(), now(), now() + interval '8 hours')`,
        [sessionIdOf(token), a.accountId, a.grantId, csrf],
      );
      load.push({ username, role: position.role, orgName: position.orgName, cookie: token, csrf });
    }
    await client.query('analyze account, role_grant, session, liaison');
    return {
      province: {
        username: 'bench_province',
        password: BENCH_PASSWORD,
        totpSecret: p.totpSecret,
        role: 'org_admin',
        orgId: root.id,
        orgName: root.name,
        members: totalMembers,
        accountId: p.accountId,
      },
      street: {
        username: 'bench_street',
        password: BENCH_PASSWORD,
        totpSecret: null,
        role: 'committee_officer',
        orgId: street.id,
        orgName: street.name,
        members: Number(street.n),
        accountId: s.accountId,
      },
      liaison: {
        username: 'bench_liaison',
        password: BENCH_PASSWORD,
        totpSecret: null,
        role: 'liaison',
        orgId: top.org_id,
        orgName: top.name,
        members: Number(top.n),
        accountId: l.accountId,
        liaisonId: top.id,
      },
      load,
    };
  } finally {
    await client.end();
  }
}
