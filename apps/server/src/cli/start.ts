// Entry for `tsx watch` in `npm run dev`.
import { main } from './main';

await main(['start']);
