import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { authorize } from '../../access/authorize.js';
import { can } from '../../access/policy.js';
import { ROLE_LABELS, ROLES } from '../../access/roles.js';
import { AppError, badRequest } from '../../errors.js';
import { guardMultipart } from '../../middleware/multipart.js';
import { asksForStart, sendRangedFile } from '../../middleware/ranged-file.js';
import { requestContext, requireSignIn } from '../../sessions/session.middleware.js';
import { parseInput } from '../../validation.js';
import { agenciesByIds, listAgencies } from '../organisation/organisation.lookups.js';
import { ACCEPTED_KINDS, blobStorage, readBlob, type StoredFileInfo } from './blob-store.js';
import { itemResource } from './library.policy.js';
import { findItem } from './library.service.js';
import { CATEGORIES, CATEGORY_LABELS, LANGUAGES, libraryQuery, publishSchema, updateStatusSchema, versionParam, versionSchema } from './library.schema.js';
import type { Config } from '../../config.js';
import type { LibraryService } from './library.service.js';
import type { AuditSink } from '../../access/audit-event.js';

/** What these routes use of the portal's services. */
export interface LibraryRouteDeps {
  readonly config: Config;
  readonly library: LibraryService;
  readonly audit: AuditSink;
}

/** Parses the JSON `metadata` part that must come before the file. */
function metadataOf(req: Request): unknown {
  const raw: unknown = (req.body as Record<string, unknown> | undefined)?.['metadata'];
  if (typeof raw !== 'string') throw new AppError(400, 'metadata-missing', 'Send the "metadata" part (JSON) before the file.');
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError(400, 'metadata-malformed', 'The "metadata" part is not valid JSON.');
  }
}

/**
 * A multipart upload of one library file: metadata first (checked before a byte of the file is
 * stored), then the file, streamed into the blob store and refused past the size limit.
 */
function libraryUpload(maxBytes: number, schema: typeof publishSchema | typeof versionSchema): RequestHandler {
  return guardMultipart(
    multer({
      storage: blobStorage,
      limits: { fileSize: maxBytes, files: 1, fields: 1, fieldSize: 32 * 1024, parts: 2, headerPairs: 20 },
      defParamCharset: 'utf8',
      fileFilter: (req, file, callback) => {
        try {
          if (file.fieldname !== 'file') throw new AppError(400, 'bad-upload', 'Send the document as the "file" part.');
          parseInput(schema, metadataOf(req));
          callback(null, true);
        } catch (error) {
          callback(error as Error);
        }
      },
    }).single('file'),
  );
}

/** The stored file of an upload, or a 400 when the request carried none. */
function uploaded(req: Request): { blob: StoredFileInfo['blob']; name: string } {
  const file: (Express.Multer.File & Partial<StoredFileInfo>) | undefined = req.file;
  if (!file?.blob) throw badRequest('Choose a file to upload.', [{ field: 'file', message: 'is missing' }]);
  return { blob: file.blob, name: file.originalname };
}

/** Streams a version: whole, or the one byte range asked for; recorded as a download or a view. */
async function sendVersion(req: Request, res: Response, services: LibraryRouteDeps, disposition: 'attachment' | 'inline'): Promise<void> {
  const number = parseInput(versionParam, req.params['version']);
  // Resumed downloads and seeks in a video are not new downloads.
  const record = req.method === 'HEAD' || !asksForStart(req) ? false : disposition === 'attachment' ? 'download' : 'view';
  const { version } = await services.library.open(requestContext(req, services), String(req.params['itemId']), number, record);
  await sendRangedFile(req, res, {
    ...version,
    inline: disposition === 'inline' && version.mediaType !== 'application/x-cfb',
    read: (start, end) => readBlob(version.blob, start, end),
  });
}

const categoryOptions = (selected?: string): { value: string; label: string; selected: boolean }[] =>
  CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value], selected: value === selected }));
const languageOptions = (selected?: string): { value: string; label: string; selected: boolean }[] =>
  Object.entries(LANGUAGES).map(([value, label]) => ({ value, label, selected: value === selected }));

/** The Resources library: pages, the JSON API, and file delivery. */
export function libraryRoutes(services: LibraryRouteDeps): Router {
  const router = Router();
  router.use(['/resources', '/api/library'], requireSignIn);
  const publishUpload = libraryUpload(services.config.libraryMaxFileBytes, publishSchema);
  const versionUpload = libraryUpload(services.config.libraryMaxFileBytes, versionSchema);

  router.get('/resources', async (req, res) => {
    const context = requestContext(req, services);
    const query = parseInput(libraryQuery, req.query);
    await services.library.recordVisit(context.actor.userId);
    const page = await services.library.find(context, query);
    const filtered = Boolean(query.q || query.category || query.tag || query.language || query.from || query.to);
    const nextParams = new URLSearchParams(Object.entries({ ...query, after: page.next ?? '' }).filter((entry): entry is [string, string] => Boolean(entry[1])));
    res.render('resources/library', {
      title: 'Resources · Bharatpol Hub',
      page: 'library',
      query,
      filtered,
      items: page.items,
      newCount: page.items.filter((item) => item.isNew).length,
      newSince: page.newSince,
      nextLink: page.next ? `/resources?${nextParams.toString()}` : undefined,
      firstLink: query.after ? `/resources?${new URLSearchParams(Object.entries({ ...query, after: '' }).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString()}` : undefined,
      categories: categoryOptions(query.category),
      languages: languageOptions(query.language),
      canPublish: can(context.actor, 'library:publish'),
      canReport: can(context.actor, 'library:report'),
    });
  });

  router.get('/resources/new', async (req, res) => {
    const context = requestContext(req, services);
    await authorize(context, 'library:publish');
    const agencies = await listAgencies();
    res.render('resources/publish', {
      title: 'Publish · Resources · Bharatpol Hub',
      page: 'library-publish',
      categories: categoryOptions(),
      languages: languageOptions('en'),
      roles: ROLES.map((value) => ({ value, label: ROLE_LABELS[value] })),
      agencies: agencies.map((agency) => ({ id: String(agency._id), name: agency.name })),
      maxMb: Math.round(services.config.libraryMaxFileBytes / 1024 / 1024),
      acceptedKinds: ACCEPTED_KINDS,
    });
  });

  router.get('/resources/items/:itemId', async (req, res) => {
    const item = await services.library.describe(requestContext(req, services), String(req.params['itemId']));
    const agencies = item.audience.agencies.length
      ? await agenciesByIds(item.audience.agencies)
      : [];
    res.render('resources/item', {
      title: `${item.title} · Resources · Bharatpol Hub`,
      page: 'library-item',
      item,
      audienceAgencies: agencies.map((agency) => agency.name),
      audienceRoles: item.audience.roles.map((role) => ROLE_LABELS[role as keyof typeof ROLE_LABELS]),
      maxMb: Math.round(services.config.libraryMaxFileBytes / 1024 / 1024),
    });
  });

  router.get('/resources/items/:itemId/versions/:version/download', (req, res) => sendVersion(req, res, services, 'attachment'));
  router.get('/resources/items/:itemId/versions/:version/view', (req, res) => sendVersion(req, res, services, 'inline'));

  router.get('/api/library', async (req, res) => {
    res.json(await services.library.find(requestContext(req, services), parseInput(libraryQuery, req.query)));
  });

  // Permission is checked before the upload is read: nobody streams bytes they may not store.
  const mayPublish: RequestHandler = async (req, _res, next) => {
    await authorize(requestContext(req, services), 'library:publish');
    next();
  };
  const mayManage: RequestHandler = async (req, _res, next) => {
    await authorize(requestContext(req, services), 'library:manage', itemResource(await findItem(String(req.params['itemId']))));
    next();
  };

  router.post('/api/library/items', mayPublish, publishUpload, async (req, res) => {
    const file = uploaded(req);
    const input = parseInput(publishSchema, metadataOf(req));
    res.status(201).json(await services.library.publish(requestContext(req, services), input, file.blob, file.name));
  });

  router.get('/api/library/items/:itemId', async (req, res) => {
    res.json(await services.library.describe(requestContext(req, services), String(req.params['itemId'])));
  });

  router.post('/api/library/items/:itemId/versions', mayManage, versionUpload, async (req, res) => {
    const file = uploaded(req);
    const input = parseInput(versionSchema, metadataOf(req));
    res.status(201).json(await services.library.addVersion(requestContext(req, services), String(req.params['itemId']), input, file.blob, file.name));
  });

  router.post('/api/library/items/:itemId/status', async (req, res) => {
    const { published } = parseInput(updateStatusSchema, req.body);
    res.json(await services.library.setPublished(requestContext(req, services), String(req.params['itemId']), published));
  });

  return router;
}
