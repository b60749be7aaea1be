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
  /** 按时联系率: members contacted within their schedule ÷ members due (issue 4 §3). */
  onTimeContact: z.object({ due: Count, onTime: Count, overdue: Count, rate: Rate }),
  /** 失联率: lost-contact ÷ mobile (outbound) members, and those past a warning point. */
  lostContact: z.object({ lost: Count, warning: Count, mobile: Count, rate: Rate }),
  /** Flows from the units directly under the scope root to destination cities (a Sankey). */
  flows: z.array(z.object({ from: z.string(), to: z.string(), value: Count })),
  topDestinations: z.array(z.object({ code: z.string(), name: z.string(), count: Count })),
  topIndustries: z.array(z.object({ code: z.string(), count: Count })),
});
export type DashboardResponse = z.infer<typeof DashboardResponse>;
