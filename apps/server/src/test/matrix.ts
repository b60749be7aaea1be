import type { Permission, Role } from '@liudong/domain';
import { mobility } from '../db/schema';
import type { TestApp, TestOrg } from './harness';

/**
 * The authorization matrix's vocabulary (SECURITY.md 8), shared by authorization-matrix.test.ts
 * and the per-module entry files it merges (e.g. modules/contacts/contacts.matrix.ts), so that a
 * feature's routes are listed next to the feature.
 */

export const POSITIONS = ['own', 'descendant', 'sibling', 'ancestor', 'other_county'] as const;
export type Position = (typeof POSITIONS)[number];
export const inScope = (p: Position) => p === 'own' || p === 'descendant';

export interface Fixture {
  t: TestApp;
  /** A fresh org at the position (fresh: so that mutations never disturb other cells). */
  orgAt(p: Position, o?: { fresh?: boolean; kind?: string }): Promise<TestOrg>;
  accountAt(
    p: Position,
    o?: { grant?: Role },
  ): Promise<{ id: string; username: string; grantId?: string }>;
  pointAt(p: Position): Promise<{ id: string }>;
  versionOf(orgId: string): Promise<number>;
  /** A fresh member whose org of affiliation is the org at the position (unique name). */
  memberAt(p: Position): Promise<{ id: string; name: string }>;
}

export interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
}

export type Entry =
  | { auth: 'public' | 'pending'; coveredBy: string }
  | { auth: 'session-only'; coveredBy: string }
  | {
      auth: 'active';
      permission: Permission | null;
      /** 'none': the route names no record; the position is ignored. */
      target: 'record' | 'none';
      ok: number;
      request: (p: Position, fx: Fixture) => Promise<Req>;
      /** For scoped lists: does the response show the positioned record? */
      shows?: (body: unknown, p: Position, fx: Fixture) => boolean;
      /** Policy exceptions inside the scope (e.g. officers cannot move their own scope root). */
      exception?: (p: Position) => number | undefined;
    };

/** A fresh member at the position with an open outflow: what a certificate is issued for. */
export async function outboundAt(p: Position, fx: Fixture) {
  const m = await fx.memberAt(p);
  const [mob] = await fx.t.db
    .insert(mobility)
    .values({
      memberId: m.id,
      direction: 'outflow',
      status: 'registered',
      registeredOn: '2026-10-01',
      leftOn: '2026-10-02',
      reason: 'work',
    })
    .returning();
  return { ...m, mobilityId: mob!.id };
}
