/** Small helpers the system-security rules share. */
import type { ResourceHandle } from '../engine/model';
import type { RuleIssue } from '../engine/rule';

/** Drop repeated issues (the same finding reached through several Fn::If branches). */
export function dedupeIssues(issues: readonly RuleIssue[]): RuleIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.resource ? `${i.resource.stack.name}/${i.resource.logicalId}` : i.stack?.name ?? ''}|${i.kind}|${i.location ?? ''}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `Key in stack S`, for messages. */
export function where(r: ResourceHandle): string {
  return `${r.logicalId} in stack ${r.stack.name}`;
}
