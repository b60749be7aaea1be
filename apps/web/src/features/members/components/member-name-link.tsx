import { Link } from 'react-router';

/**
 * A member's name in a table cell: a real link (open in a new tab, keyboard focus) that does not
 * also trigger the row's click handler, cut with an ellipsis when the column is narrow.
 */
export function MemberNameLink({ memberId, name }: { memberId: string; name: string }) {
  return (
    <Link
      to={`/members/${memberId}`}
      onClick={(event) => event.stopPropagation()}
      style={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis' }}
      title={name}
    >
      {name}
    </Link>
  );
}
