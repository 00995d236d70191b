import { initLayout } from './lib/layout.js';

/** The signed-in home page: the modules, and the live connection badge. */
export function init(): void {
  initLayout();
}

init();
