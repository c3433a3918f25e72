import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import '@digital-go-jp/design-tokens/dist/tokens.css';
import './styles.css';
import { router } from './routes';
import { session } from './session';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: (count, error) => count < 2 && !('problem' in error), refetchOnWindowFocus: false } },
});

// Whatever ends the session (sign-out, expiry, a 401) forgets every answer held in memory and goes to sign-in.
session.subscribe(() => {
  if (session.get()) return;
  queryClient.clear();
  void router.navigate({ to: '/sign-in' });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
