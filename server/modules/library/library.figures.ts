import { LibraryDownload, LibraryItem } from './library.model.js';

/** The library's download figures, for the resources report (counted from plain metadata). */
export interface DownloadFigures {
  /** Every item: its title, all its downloads, and those of its latest version. */
  readonly items: readonly { readonly id: string; readonly title: string; readonly downloads: number; readonly latestDownloads: number }[];
  /** Downloads per agency id of the downloader. */
  readonly perAgency: ReadonlyMap<string, number>;
  readonly downloads: number;
}

/** Counts downloads per item (all, and of the latest version) and per agency. */
export async function downloadFigures(): Promise<DownloadFigures> {
  const items = await LibraryItem.find({}, { title: 1, downloads: 1, versions: 1 }).lean();
  const latestDownloads = new Map<string, number>();
  const perAgency = new Map<string, number>();
  let downloads = 0;
  const latestVersion = new Map(items.map((item) => [String(item._id), item.versions.length]));
  for await (const download of LibraryDownload.find({ kind: 'download' }, { item: 1, version: 1, agency: 1 }).lean().cursor()) {
    downloads += 1;
    perAgency.set(download.agency, (perAgency.get(download.agency) ?? 0) + 1);
    const item = String(download.item);
    if (latestVersion.get(item) === download.version) latestDownloads.set(item, (latestDownloads.get(item) ?? 0) + 1);
  }
  return {
    items: items.map((item) => ({
      id: String(item._id),
      title: item.title,
      downloads: item.downloads ?? 0,
      latestDownloads: latestDownloads.get(String(item._id)) ?? 0,
    })),
    perAgency,
    downloads,
  };
}
