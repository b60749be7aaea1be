import { z } from 'zod';

const Count = z.number().int().min(0);
/** Percent with one decimal; null when the denominator is zero or the feature is not there yet. */
const Rate = z.number().min(0).max(100).nullable();

export const DashboardResponse = z.object({
  asOf: z.string(),
  orgName: z.string(),
  outbound: Count,
  inbound: Count,
  certificateRate: Rate,
  checkIn: z.object({ checkedIn: Count, withHostOrg: Count, rate: Rate }),
  shouldTransfer: Count,
  /** Flows from the units directly under the scope root to destination cities (a Sankey). */
  flows: z.array(z.object({ from: z.string(), to: z.string(), value: Count })),
  topDestinations: z.array(z.object({ code: z.string(), name: z.string(), count: Count })),
  topIndustries: z.array(z.object({ code: z.string(), count: Count })),
});
export type DashboardResponse = z.infer<typeof DashboardResponse>;
