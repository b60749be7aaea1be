import { z } from 'zod';
import { ORG_CATEGORIES, ORG_KINDS, SERVICE_LEVELS } from '@liudong/domain';
import { Id, IsoDate, IsoDateTime, PageQuery, Version, optionalText, pageOf, text } from './common';

export const OrgKind = z.enum(ORG_KINDS);
export const OrgCategory = z.enum(ORG_CATEGORIES);
export const ServiceLevel = z.enum(SERVICE_LEVELS);
export const RegionCode = z.string().regex(/^\d{6}$/, '行政区划代码应为6位数字');
const Phone = z.string().trim().max(40).nullable().optional();

/** What the actor may do with this org; the UI shows only these actions (issue 2 §6). */
export const OrgAbilities = z.object({
  update: z.boolean(),
  createChild: z.boolean(),
  move: z.boolean(),
  dissolve: z.boolean(),
  manageServicePoints: z.boolean(),
});
export type OrgAbilities = z.infer<typeof OrgAbilities>;

export const OrgNode = z.object({
  id: Id,
  parentId: Id.nullable(),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: OrgKind,
  depth: z.number().int(),
  hasChildren: z.boolean(),
  dissolvedOn: IsoDate.nullable(),
  abilities: OrgAbilities,
});
export type OrgNode = z.infer<typeof OrgNode>;

export const OrgChildrenQuery = z.object({
  /** Omitted: the root of the actor's scope. */
  parentId: Id.optional(),
  includeDissolved: z.stringbool().default(false),
});
export type OrgChildrenQuery = z.infer<typeof OrgChildrenQuery>;

export const OrgChildrenResponse = z.object({ nodes: z.array(OrgNode) });
export type OrgChildrenResponse = z.infer<typeof OrgChildrenResponse>;

export const OrgSearchQuery = PageQuery.extend({
  q: z.string().trim().max(100).optional(),
  kind: OrgKind.optional(),
  includeDissolved: z.stringbool().default(false),
});
export type OrgSearchQuery = z.infer<typeof OrgSearchQuery>;

export const OrgSummary = OrgNode.extend({
  regionCode: z.string().nullable(),
  /** Names from the scope root down to the parent, for showing where a search hit sits. */
  pathNames: z.array(z.string()),
});
export type OrgSummary = z.infer<typeof OrgSummary>;
export const OrgSearchResponse = pageOf(OrgSummary);
export type OrgSearchResponse = z.infer<typeof OrgSearchResponse>;

/** Finding an org to grant a role at (the security admin's `org.lookup`): names only. */
export const OrgLookupQuery = z.object({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type OrgLookupQuery = z.infer<typeof OrgLookupQuery>;
export const OrgLookupItem = z.object({
  id: Id,
  name: z.string(),
  kind: OrgKind,
  pathNames: z.array(z.string()),
});
export type OrgLookupItem = z.infer<typeof OrgLookupItem>;
export const OrgLookupResponse = z.object({ items: z.array(OrgLookupItem) });
export type OrgLookupResponse = z.infer<typeof OrgLookupResponse>;

export const ServicePoint = z.object({
  id: Id,
  orgId: Id,
  level: ServiceLevel,
  name: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  openingHours: z.string().nullable(),
  closedOn: IsoDate.nullable(),
  version: z.number().int(),
});
export type ServicePoint = z.infer<typeof ServicePoint>;

export const OrgDetail = z.object({
  id: Id,
  parentId: Id.nullable(),
  /** The parent's kind, for offering only kinds it can contain (null at a root). */
  parentKind: OrgKind.nullable(),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: OrgKind,
  categoryCode: OrgCategory.nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  address: z.string().nullable(),
  secretaryName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  establishedOn: IsoDate.nullable(),
  dissolvedOn: IsoDate.nullable(),
  dissolveReason: z.string().nullable(),
  /** Ancestors inside the actor's scope, root first (a breadcrumb). */
  ancestors: z.array(z.object({ id: Id, name: z.string() })),
  childCount: z.number().int(),
  servicePoints: z.array(ServicePoint),
  version: z.number().int(),
  updatedAt: IsoDateTime,
  abilities: OrgAbilities,
});
export type OrgDetail = z.infer<typeof OrgDetail>;

const orgFields = {
  name: text(100),
  shortName: optionalText(40),
  kind: OrgKind,
  categoryCode: OrgCategory.nullable().optional(),
  regionCode: RegionCode.nullable().optional(),
  address: optionalText(200),
  secretaryName: optionalText(40),
  contactPhone: Phone,
  establishedOn: IsoDate.nullable().optional(),
};

// `.strict()`: a request that sets fields it may not (path, version on create, dissolvedOn…) is
// rejected rather than silently ignored (SECURITY.md 11).
export const CreateOrgInput = z.object({ parentId: Id, ...orgFields }).strict();
export type CreateOrgInput = z.infer<typeof CreateOrgInput>;

export const UpdateOrgInput = z
  .object({
    version: Version,
    name: orgFields.name.optional(),
    shortName: orgFields.shortName,
    kind: OrgKind.optional(),
    categoryCode: orgFields.categoryCode,
    regionCode: orgFields.regionCode,
    address: orgFields.address,
    secretaryName: orgFields.secretaryName,
    contactPhone: orgFields.contactPhone,
    establishedOn: orgFields.establishedOn,
  })
  .strict();
export type UpdateOrgInput = z.infer<typeof UpdateOrgInput>;

export const MoveOrgInput = z.object({ newParentId: Id, version: Version }).strict();
export type MoveOrgInput = z.infer<typeof MoveOrgInput>;

export const DissolveOrgInput = z
  .object({ dissolvedOn: IsoDate, reason: text(200), version: Version })
  .strict();
export type DissolveOrgInput = z.infer<typeof DissolveOrgInput>;

export const CreateServicePointInput = z
  .object({
    orgId: Id,
    level: ServiceLevel,
    name: text(100),
    address: optionalText(200),
    phone: Phone,
    openingHours: optionalText(100),
  })
  .strict();
export type CreateServicePointInput = z.infer<typeof CreateServicePointInput>;

export const UpdateServicePointInput = z
  .object({
    version: Version,
    level: ServiceLevel.optional(),
    name: text(100).optional(),
    address: optionalText(200),
    phone: Phone,
    openingHours: optionalText(100),
    closedOn: IsoDate.nullable().optional(),
  })
  .strict();
export type UpdateServicePointInput = z.infer<typeof UpdateServicePointInput>;

export const Region = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'city', 'county']),
  parentCode: z.string().nullable(),
  hasChildren: z.boolean(),
});
export type Region = z.infer<typeof Region>;
export const RegionQuery = z.object({
  parentCode: RegionCode.optional(),
  q: z.string().trim().max(50).optional(),
});
export type RegionQuery = z.infer<typeof RegionQuery>;
export const RegionListResponse = z.object({ items: z.array(Region) });
export type RegionListResponse = z.infer<typeof RegionListResponse>;
export const UpdateRegionInput = z.object({ name: text(60) }).strict();
export type UpdateRegionInput = z.infer<typeof UpdateRegionInput>;
export const CreateRegionInput = z
  .object({ code: RegionCode, name: text(60), parentCode: RegionCode.nullable() })
  .strict();
export type CreateRegionInput = z.infer<typeof CreateRegionInput>;
