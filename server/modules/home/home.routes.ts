import { Router } from 'express';

/** The five modules of the portal as officers know them. */
const modules = [
  { name: 'Connect', summary: 'Real-time encrypted channels between the CBI, every agency’s ILOs and their unit officers.' },
  { name: 'Broadcast', summary: 'Requests for assistance and criminal intelligence from foreign countries, for action or for information.' },
  { name: 'INTERPOL References', summary: 'Requests for assistance abroad and incoming foreign references, tracked UO → ILO → CBI → foreign NCB and back.' },
  { name: 'INTERPOL Notices', summary: 'Structured, reviewed requests for Red, Yellow, Blue, Black, Green, Orange, Purple and Silver notices and diffusions.' },
  { name: 'Resources', summary: 'Documents, SOPs and capacity-building material published by trainers.' },
] as const;

/** The landing page (with the system-use notice) and, once signed in, the officer's home. */
export function homeRoutes(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const actor = req.portalSession?.actor;
    if (actor) {
      res.render('home/dashboard', { title: 'Home · Bharatpol Hub', page: 'home', modules });
      return;
    }
    res.render('home/index', { title: 'Bharatpol Hub', modules });
  });
  return router;
}
