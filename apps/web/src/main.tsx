import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { z } from 'zod';
import { AppProviders } from './app-providers';
import './ui/global.css';

dayjs.locale('zh-cn');
// Client-side validation messages from the shared zod schemas in Chinese.
z.config(z.locales.zhCN());

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');

createRoot(container).render(
  <StrictMode>
    <AppProviders />
  </StrictMode>,
);
