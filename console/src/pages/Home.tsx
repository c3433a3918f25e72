import { Navigate } from '@tanstack/react-router';
import { Inbox } from './Inbox';
import { Status, useMe } from './Layout';

/** The first page after sign-in: 民生委員 and 自主防災組織 their roster, an auditor the log, staff of a department the inbox. */
export function Home() {
  const me = useMe();
  if (!me.data) return <Status loading={me.isPending} error={me.error} />;
  if (me.data.kind === 'supporter') return <Navigate to="/roster" replace />;
  if (!me.data.roles.some((r) => r.departmentId) && me.data.roles.some((r) => r.role === 'auditor')) return <Navigate to="/audit" replace />;
  return <Inbox />;
}
