/** A library item published (or given a new version) for the officer's audience. */
export interface LibraryNotice {
  id: string;
  title: string;
  category: string;
  version: number;
  publishedBy: string;
  at: string;
}

declare module '../../realtime/events.js' {
  interface ServerToClientEvents {
    'library:published': (notice: LibraryNotice) => void;
  }
}
