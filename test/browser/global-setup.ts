// Builds the web bundles once before the tests, as `npm start` does.
import { buildWeb } from '../../scripts/build-web.js';

export default async function setup(): Promise<void> {
  await buildWeb();
}
