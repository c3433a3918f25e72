import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { session } from './session';
import { Layout } from './pages/Layout';
import { SignIn } from './pages/SignIn';
import { SignInCallback } from './pages/SignInOidc';
import { Home } from './pages/Home';
import { Caseload, caseloadSearch } from './pages/Caseload';
import { CasePage } from './pages/CasePage';
import { Overview } from './pages/Overview';
import { auditPersonSearch, auditSearch } from './pages/audit-search';
import { entriesSearch } from './pages/entries-search';

const root = createRootRoute({ component: Outlet });

const signIn = createRoute({ getParentRoute: () => root, path: '/sign-in', component: SignIn });
const signInCallback = createRoute({ getParentRoute: () => root, path: '/sign-in/callback', component: SignInCallback });

/** Every other page needs a session: without one, sign-in first. */
const signedIn = createRoute({
  getParentRoute: () => root,
  id: 'signed-in',
  component: Layout,
  beforeLoad: () => {
    if (!session.get()) throw redirect({ to: '/sign-in' });
  },
});

const inbox = createRoute({ getParentRoute: () => signedIn, path: '/', component: Home });
const cases = createRoute({ getParentRoute: () => signedIn, path: '/cases', component: Caseload, validateSearch: caseloadSearch });
const openCase = createRoute({ getParentRoute: () => signedIn, path: '/cases/new', component: lazyRouteComponent(() => import('./pages/OpenCase'), 'OpenCase') });
const casePage = createRoute({ getParentRoute: () => signedIn, path: '/cases/$caseId', component: CasePage });
const overview = createRoute({ getParentRoute: () => signedIn, path: '/overview', component: Overview });
// Pages few people open load on demand: the first load stays small.
const audit = createRoute({ getParentRoute: () => signedIn, path: '/audit', validateSearch: auditSearch, component: lazyRouteComponent(() => import('./pages/Audit'), 'AuditSearch') });
const auditPerson = createRoute({ getParentRoute: () => signedIn, path: '/audit/person', validateSearch: auditPersonSearch, component: lazyRouteComponent(() => import('./pages/Audit'), 'AuditPerson') });
const auditChain = createRoute({ getParentRoute: () => signedIn, path: '/audit/chain', component: lazyRouteComponent(() => import('./pages/Audit'), 'AuditChain') });
const accessGrants = createRoute({ getParentRoute: () => signedIn, path: '/audit/grants', component: lazyRouteComponent(() => import('./pages/AccessGrants'), 'AccessGrants') });
const roster = createRoute({ getParentRoute: () => signedIn, path: '/roster', component: lazyRouteComponent(() => import('./pages/Roster'), 'Roster') });
const register = createRoute({ getParentRoute: () => signedIn, path: '/register', component: lazyRouteComponent(() => import('./pages/Register'), 'Register') });
const registerEntries = createRoute({ getParentRoute: () => signedIn, path: '/register/entries', validateSearch: entriesSearch, component: lazyRouteComponent(() => import('./pages/RegisterEntries'), 'RegisterEntries') });
const planEditor = createRoute({ getParentRoute: () => signedIn, path: '/register/entries/$entryId/plan', component: lazyRouteComponent(() => import('./pages/EvacuationPlanEditor'), 'EvacuationPlanEditor') });
const disasters = createRoute({ getParentRoute: () => signedIn, path: '/disasters', component: lazyRouteComponent(() => import('./pages/Disasters'), 'Disasters') });
const plans = createRoute({ getParentRoute: () => signedIn, path: '/plans', component: lazyRouteComponent(() => import('./pages/PlanPrint'), 'PlanPrint') });
const safety = createRoute({ getParentRoute: () => signedIn, path: '/roster/safety', component: lazyRouteComponent(() => import('./pages/SafetyCheck'), 'SafetyCheck') });

export const router = createRouter({ routeTree: root.addChildren([signIn, signInCallback, signedIn.addChildren([inbox, cases, openCase, casePage, overview, audit, auditPerson, auditChain, accessGrants, roster, register, registerEntries, planEditor, disasters, plans, safety])]) });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
