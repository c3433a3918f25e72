import { createRootRoute, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import { session } from './session';
import { Layout } from './pages/Layout';
import { SignIn } from './pages/SignIn';
import { Inbox } from './pages/Inbox';
import { Caseload, caseloadSearch } from './pages/Caseload';
import { CasePage } from './pages/CasePage';
import { Overview } from './pages/Overview';

const root = createRootRoute({ component: Outlet });

const signIn = createRoute({ getParentRoute: () => root, path: '/sign-in', component: SignIn });

/** Every other page needs a session: without one, sign-in first. */
const signedIn = createRoute({
  getParentRoute: () => root,
  id: 'signed-in',
  component: Layout,
  beforeLoad: () => {
    if (!session.get()) throw redirect({ to: '/sign-in' });
  },
});

const inbox = createRoute({ getParentRoute: () => signedIn, path: '/', component: Inbox });
const cases = createRoute({ getParentRoute: () => signedIn, path: '/cases', component: Caseload, validateSearch: caseloadSearch });
const casePage = createRoute({ getParentRoute: () => signedIn, path: '/cases/$caseId', component: CasePage });
const overview = createRoute({ getParentRoute: () => signedIn, path: '/overview', component: Overview });

export const router = createRouter({ routeTree: root.addChildren([signIn, signedIn.addChildren([inbox, cases, casePage, overview])]) });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
