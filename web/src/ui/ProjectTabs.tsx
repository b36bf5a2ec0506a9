// The tabs of one project: keys, environments and AWS credentials (the last two need the root key).
import { href } from '../router';

export function ProjectTabs({ projectId, current, root }: { projectId: string; current: string; root: boolean }) {
  const tabs = [
    ['keys', 'Keys'],
    ...(root
      ? [
          ['environments', 'Environments'],
          ['aws-credentials', 'AWS credentials'],
        ]
      : []),
  ];
  return (
    <nav className="tabs" aria-label="Project">
      {root && <a href={href(['projects'])}>← Projects</a>}
      {tabs.map(([tab, label]) => (
        <a key={tab} href={href(['projects', projectId, tab])} aria-current={tab === current ? 'page' : undefined}>
          {label}
        </a>
      ))}
      <a href={href(['audit'], { project_id: projectId })}>Audit log</a>
    </nav>
  );
}
