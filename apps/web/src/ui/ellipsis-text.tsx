import type { ReactNode } from 'react';
import { Typography } from 'antd';

/**
 * One line of table text that ends in "…" when the column is too narrow, with the whole text in a
 * tooltip (only when it was cut). Put it in a column with a width and `tableLayout="fixed"`.
 */
export function EllipsisText({ children, tooltip }: { children: string; tooltip?: ReactNode }) {
  return (
    <Typography.Text
      ellipsis={{ tooltip: { title: tooltip ?? children, placement: 'topLeft' } }}
      style={{ display: 'block', color: 'inherit' }}
    >
      {children}
    </Typography.Text>
  );
}
