import { useState } from 'react';
import { Card, Col, Flex, Input, Row, Switch, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { orgDetailQuery } from '../features/orgs/api/orgs-api';
import { NoOrgSelected, OrgDetailPanel } from '../features/orgs/components/org-detail-panel';
import { OrgSearchResults } from '../features/orgs/components/org-search-results';
import { OrgTree } from '../features/orgs/components/org-tree';
import { useDebouncedValue } from '../ui/use-debounced-value';

/** 组织管理: tree and search on the left, the selected org (kept in `?id=`) on the right. */
export function OrgsPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const selectedId = searchParams.get('id');
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 300);
  const [includeDissolved, setIncludeDissolved] = useState(false);

  // Shares the cache entry with the detail panel; used to open the tree down to the selection.
  const selected = useQuery({ ...orgDetailQuery(selectedId ?? ''), enabled: selectedId !== null });
  const reveal =
    selected.data && selected.data.id === selectedId
      ? { id: selected.data.id, ancestorIds: selected.data.ancestors.map((a) => a.id) }
      : null;

  const select = (id: string) => {
    setSearchParams((params) => {
      const next = new URLSearchParams(params);
      next.set('id', id);
      return next;
    });
  };

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        组织管理
      </Typography.Title>
      <Row gutter={16} align="top">
        <Col xs={24} lg={9} xl={8} xxl={7}>
          <Card size="small" className="no-print" styles={{ body: { padding: 12 } }}>
            <Flex vertical gap={12}>
              <Input
                allowClear
                prefix={<SearchOutlined style={{ color: '#bfbfbf' }} />}
                placeholder="搜索组织名称或简称"
                aria-label="搜索组织"
                value={text}
                onChange={(event) => setText(event.target.value)}
                maxLength={100}
              />
              <Flex align="center" gap={8}>
                <Switch
                  size="small"
                  checked={includeDissolved}
                  onChange={setIncludeDissolved}
                  aria-label="显示已撤销组织"
                />
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  显示已撤销组织
                </Typography.Text>
              </Flex>
              <div style={{ maxHeight: 'calc(100vh - 260px)', minHeight: 240, overflow: 'auto' }}>
                {q ? (
                  <OrgSearchResults
                    q={q}
                    includeDissolved={includeDissolved}
                    selectedId={selectedId}
                    onSelect={select}
                  />
                ) : (
                  <OrgTree
                    includeDissolved={includeDissolved}
                    selectedId={selectedId}
                    onSelect={select}
                    reveal={reveal}
                  />
                )}
              </div>
            </Flex>
          </Card>
        </Col>
        <Col xs={24} lg={15} xl={16} xxl={17}>
          {selectedId ? <OrgDetailPanel orgId={selectedId} onSelect={select} /> : <NoOrgSelected />}
        </Col>
      </Row>
    </Flex>
  );
}
