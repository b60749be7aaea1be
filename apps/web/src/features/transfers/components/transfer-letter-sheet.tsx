import type { CSSProperties, ReactNode } from 'react';
import type { TransferLetter } from '@liudong/contracts';
import { BRAND_RED } from '../../../ui/theme';
import {
  BLANK,
  chineseDate,
  destinationText,
  introductionText,
  memberParticulars,
  receiptText,
  validityDays,
} from './transfer-values';

// Paper forms are set in a serif (宋体) face where the machine has one.
const SERIF =
  "'SimSun', 'Songti SC', 'STSong', 'Noto Serif CJK SC', 'Source Han Serif SC', 'Noto Sans CJK SC', serif";

/** A full-width (ideographic) space between blanks on one line. */
const GAP = '\u3000';

const partStyle: CSSProperties = {
  position: 'relative',
  breakInside: 'avoid',
  fontFamily: SERIF,
  fontSize: '12pt',
  lineHeight: 1.65,
  color: '#000',
};

const paragraph: CSSProperties = { margin: 0, textIndent: '2em' };

/** The part's title, with the letter number on its right (the same number on all three parts). */
function PartHeading({ title, number }: { title: string; number: string }) {
  return (
    <div style={{ position: 'relative', textAlign: 'center', marginBottom: '1mm' }}>
      <div style={{ fontSize: '16pt', fontWeight: 700, letterSpacing: '1pt' }}>{title}</div>
      <div style={{ textAlign: 'right', fontSize: '11pt' }}>
        编号：<span style={{ fontVariantNumeric: 'tabular-nums' }}>{number}</span>
      </div>
    </div>
  );
}

/**
 * The issuing org's name and the date, with a circle where the seal goes (盖章): the letter is
 * valid only once stamped by hand.
 */
function SealBlock({ orgLabel, date }: { orgLabel: ReactNode; date: string }) {
  return (
    <div
      style={{
        position: 'relative',
        marginLeft: 'auto',
        width: '90mm',
        minHeight: '20mm',
        textAlign: 'center',
      }}
    >
      <div
        aria-hidden
        style={{
          position: 'absolute',
          left: '50%',
          top: '50%',
          width: '28mm',
          height: '28mm',
          transform: 'translate(-50%, -50%)',
          border: '1px dashed #999',
          borderRadius: '50%',
          opacity: 0.55,
        }}
      />
      <div style={{ position: 'relative', paddingTop: '2mm' }}>
        {orgLabel}
        <span style={{ whiteSpace: 'nowrap' }}>（盖章）</span>
      </div>
      <div style={{ position: 'relative' }}>{date}</div>
    </div>
  );
}

/** The dashed line the parts are torn along, the letter number written across it (骑缝). */
function CutLine({ number }: { number: string }) {
  const dash: CSSProperties = { flex: 1, borderTop: '1px dashed #555' };
  return (
    <div
      role="separator"
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: '3mm',
        margin: '3mm 0',
        fontFamily: SERIF,
        fontSize: '10pt',
        color: '#333',
      }}
    >
      <span style={dash} />
      <span aria-hidden>✂</span>
      <span>骑缝 {number}</span>
      <span style={dash} />
    </div>
  );
}

/** A letter cancelled after it was issued keeps its number but is void (printed for the file). */
function VoidNotice({ letter }: { letter: TransferLetter }) {
  if (letter.transfer.status !== 'cancelled') return null;
  return (
    <p style={{ ...paragraph, textIndent: 0, color: BRAND_RED, fontWeight: 700 }}>
      （此介绍信已撤销，作废）
    </p>
  );
}

/**
 * 中国共产党党员组织关系介绍信 on one A4 sheet, in the three parts of the practice (DOMAIN.md §3):
 * 存根 kept by the issuer, the letter itself for the receiving org, and 回执 to tear off and
 * send back. Each part carries the letter number; the ID number stays masked (SECURITY.md 13);
 * the dues line is left for the officer to write in.
 */
export function TransferLetterSheet({ letter }: { letter: TransferLetter }) {
  const t = letter.transfer;
  const number = t.letterNumber ?? BLANK;
  const issuedOn = chineseDate(t.letterIssuedOn);
  const days = validityDays(t.letterIssuedOn, t.dueOn);
  const validity = `有效期至${chineseDate(t.dueOn)}${days === null ? '' : `（${days}天）`}`;

  return (
    <div>
      <section className="letter-part" aria-label="存根" style={partStyle}>
        <PartHeading title="中国共产党党员组织关系介绍信（存根）" number={number} />
        <p style={paragraph}>
          {letter.member.name}同志（{memberParticulars(letter.member)}）的党员组织关系由
          {t.fromOrgName}转去{destinationText(t)}。
        </p>
        <p style={paragraph}>
          转接原因：{t.reason}；{validity}。
        </p>
        <VoidNotice letter={letter} />
        <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: '2mm' }}>
          <span>开具党组织：{letter.issuingOrgName}</span>
          <span>经办人：{BLANK}</span>
          <span>{issuedOn}</span>
        </div>
      </section>

      <CutLine number={number} />

      <section className="letter-part" aria-label="介绍信" style={partStyle}>
        <PartHeading title="中国共产党党员组织关系介绍信" number={number} />
        <p style={{ ...paragraph, textIndent: 0 }}>{t.toOrgName}：</p>
        <p style={paragraph}>{introductionText(letter)}</p>
        <p style={paragraph}>
          该同志党费已交到{BLANK}年{BLANK}月。
        </p>
        <p style={paragraph}>本介绍信{validity}。</p>
        <VoidNotice letter={letter} />
        <SealBlock orgLabel={letter.issuingOrgName} date={issuedOn} />
        <p style={{ ...paragraph, textIndent: 0, fontSize: '10.5pt', lineHeight: 1.7 }}>
          {`党员联系电话或其他联系方式：${BLANK.repeat(3)}`}
          <br />
          {`党员原所在基层党委通讯地址：${BLANK.repeat(3)}${GAP}联系电话：${BLANK.repeat(2)}${GAP}邮编：${BLANK}`}
        </p>
      </section>

      <CutLine number={number} />

      <section className="letter-part" aria-label="回执" style={partStyle}>
        <PartHeading title="中国共产党党员组织关系介绍信回执" number={number} />
        <p style={{ ...paragraph, textIndent: 0 }}>{letter.issuingOrgName}：</p>
        <p style={paragraph}>{receiptText(letter)}</p>
        <SealBlock
          orgLabel={`接收党组织${t.toOrgId ? `：${t.toOrgName}` : ''}`}
          date={chineseDate(null)}
        />
      </section>
    </div>
  );
}
