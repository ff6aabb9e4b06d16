import { sameAssignee, stepAssignees, type Assignee, type RouteStep } from '../route/route.js';
import type { Delegation } from './case.js';

/** The assignees of `step` after `delegations` (in the order they were made), roles not yet resolved. */
export function effectiveAssignees(step: RouteStep, delegations: readonly Delegation[]): Assignee[] {
  const slots = [...stepAssignees(step)];
  for (const d of delegations) {
    if (d.stepId !== step.id) continue;
    if (d.from === null) slots.splice(0, slots.length, d.to);
    else {
      const i = slots.findIndex((s) => sameAssignee(s, d.from!));
      if (i >= 0) slots[i] = d.to;
    }
  }
  return slots;
}
