import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { RequireAuth } from './require-auth';
import { RequirePermission } from './require-permission';
import { RootLayout } from './root-layout';
import { RouteErrorPage } from './route-error-page';

// One chunk per page (React.lazy) so that the login page and the shell load first and the rest on
// demand. Pages use named exports, hence the `.then`.
// The signed-in shell (menu, header, role switcher) is a chunk of its own too: the login page does
// not need it.
const AppLayout = lazy(() => import('./app-layout').then((m) => ({ default: m.AppLayout })));
const LoginPage = lazy(() => import('./login-page').then((m) => ({ default: m.LoginPage })));
const HomePage = lazy(() => import('./home-page').then((m) => ({ default: m.HomePage })));
const OrgsPage = lazy(() => import('./orgs-page').then((m) => ({ default: m.OrgsPage })));
const MembersPage = lazy(() => import('./members-page').then((m) => ({ default: m.MembersPage })));
const MemberDetailPage = lazy(() =>
  import('./member-detail-page').then((m) => ({ default: m.MemberDetailPage })),
);
const AccountsPage = lazy(() =>
  import('./accounts-page').then((m) => ({ default: m.AccountsPage })),
);
const AuditPage = lazy(() => import('./audit-page').then((m) => ({ default: m.AuditPage })));
const SecurityPolicyPage = lazy(() =>
  import('./security-policy-page').then((m) => ({ default: m.SecurityPolicyPage })),
);
const RegionsPage = lazy(() => import('./regions-page').then((m) => ({ default: m.RegionsPage })));
const MobilitiesPage = lazy(() =>
  import('./mobilities-page').then((m) => ({ default: m.MobilitiesPage })),
);
const CertificatePrintPage = lazy(() =>
  import('./certificate-print-page').then((m) => ({ default: m.CertificatePrintPage })),
);
const VerifyCertificatePage = lazy(() =>
  import('./verify-certificate-page').then((m) => ({ default: m.VerifyCertificatePage })),
);
const TransfersPage = lazy(() =>
  import('./transfers-page').then((m) => ({ default: m.TransfersPage })),
);
const TransferLetterPage = lazy(() =>
  import('./transfer-letter-page').then((m) => ({ default: m.TransferLetterPage })),
);
const ImportsPage = lazy(() => import('./imports-page').then((m) => ({ default: m.ImportsPage })));
const ContactsPage = lazy(() =>
  import('./contacts-page').then((m) => ({ default: m.ContactsPage })),
);
const LiaisonsPage = lazy(() =>
  import('./liaisons-page').then((m) => ({ default: m.LiaisonsPage })),
);
const LostContactPage = lazy(() =>
  import('./lost-contact-page').then((m) => ({ default: m.LostContactPage })),
);
const CensusPage = lazy(() => import('./census-page').then((m) => ({ default: m.CensusPage })));
const CensusDetailPage = lazy(() =>
  import('./census-detail-page').then((m) => ({ default: m.CensusDetailPage })),
);
const SmsPage = lazy(() => import('./sms-page').then((m) => ({ default: m.SmsPage })));
const ForbiddenPage = lazy(() =>
  import('./status-pages').then((m) => ({ default: m.ForbiddenPage })),
);
const NotFoundPage = lazy(() =>
  import('./status-pages').then((m) => ({ default: m.NotFoundPage })),
);

export function createAppRouter() {
  return createBrowserRouter([
    {
      element: <RootLayout />,
      errorElement: <RouteErrorPage />,
      children: [
        { path: '/login', element: <LoginPage /> },
        // Public: whoever scans a certificate's QR code checks its number, without signing in.
        { path: '/verify/:number', element: <VerifyCertificatePage /> },
        {
          element: <RequireAuth />,
          children: [
            {
              // A sheet of paper: no menu, no header.
              path: 'certificates/:id/print',
              element: (
                <RequirePermission permission="member.read">
                  <CertificatePrintPage />
                </RequirePermission>
              ),
            },
            {
              // 介绍信 (three parts and the receipt) on A4: no menu, no header.
              path: 'transfers/:id/letter',
              element: (
                <RequirePermission permission="member.read">
                  <TransferLetterPage />
                </RequirePermission>
              ),
            },
            {
              element: <AppLayout />,
              errorElement: <RouteErrorPage />,
              children: [
                { index: true, element: <HomePage /> },
                {
                  path: 'orgs',
                  element: (
                    <RequirePermission permission="org.read">
                      <OrgsPage />
                    </RequirePermission>
                  ),
                },
                {
                  // The list stays mounted under an open member (see MembersPage).
                  path: 'members',
                  element: (
                    <RequirePermission permission="member.read">
                      <MembersPage />
                    </RequirePermission>
                  ),
                  children: [{ path: ':id', element: <MemberDetailPage /> }],
                },
                {
                  path: 'mobilities',
                  element: (
                    <RequirePermission permission="member.read">
                      <MobilitiesPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'transfers',
                  element: (
                    <RequirePermission permission="member.read">
                      <TransfersPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'contacts',
                  element: (
                    <RequirePermission permission="contact.log">
                      <ContactsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'liaisons',
                  element: (
                    <RequirePermission permission="liaison.assign">
                      <LiaisonsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'lost-contact',
                  element: (
                    <RequirePermission permission="member.read">
                      <LostContactPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'census',
                  element: (
                    <RequirePermission permission="contact.log">
                      <CensusPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'census/:id',
                  element: (
                    <RequirePermission permission="contact.log">
                      <CensusDetailPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'sms',
                  element: (
                    <RequirePermission permission="sms.send">
                      <SmsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'imports',
                  element: (
                    <RequirePermission permission="member.import">
                      <ImportsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'accounts',
                  element: (
                    <RequirePermission permission="account.read">
                      <AccountsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'audit',
                  element: (
                    <RequirePermission permission="audit.read">
                      <AuditPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'security-policy',
                  element: (
                    <RequirePermission permission="security_policy.manage">
                      <SecurityPolicyPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: 'regions',
                  element: (
                    <RequirePermission permission="system.manage">
                      <RegionsPage />
                    </RequirePermission>
                  ),
                },
                { path: '403', element: <ForbiddenPage /> },
                { path: '*', element: <NotFoundPage /> },
              ],
            },
          ],
        },
      ],
    },
  ]);
}
