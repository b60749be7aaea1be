import { useState } from 'react';
import { Card, Flex, Tabs, Typography } from 'antd';
import { ImportHistory } from '../features/imports/components/import-history';
import { ImportWizard } from '../features/imports/components/import-wizard';
import { SavedMappings } from '../features/imports/components/saved-mappings';

type Tab = 'import' | 'history' | 'mappings';

/**
 * Excel导入 (`/imports`, member.import): member rosters and mobility ledgers from .xlsx (issue 3
 * §6), the batch history with undo, and the saved column mappings.
 */
export function ImportsPage() {
  const [tab, setTab] = useState<Tab>('import');

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        Excel导入
      </Typography.Title>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setTab(key as Tab)}
          items={[
            {
              key: 'import',
              label: '导入',
              children: <ImportWizard onShowHistory={() => setTab('history')} />,
            },
            { key: 'history', label: '导入记录', children: <ImportHistory /> },
            { key: 'mappings', label: '列对应关系', children: <SavedMappings /> },
          ]}
        />
      </Card>
    </Flex>
  );
}
