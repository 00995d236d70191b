import { initLayout } from './lib/layout.js';

initLayout();
