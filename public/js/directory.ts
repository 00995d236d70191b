import { initLayout } from './lib/layout.js';

/** The directory page: server-rendered search; the script adds the layout's behaviour. */
export function init(): void {
  initLayout();
}

init();
