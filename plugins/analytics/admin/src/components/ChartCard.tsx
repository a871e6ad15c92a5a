/**
 * One chart with its table view and CSV export. The table and the CSV are built from the same
 * rows (`columns` × `rows`), so the file holds exactly the numbers on screen; the bars draw the
 * numeric columns listed in `series`. Colours come from the design system's theme, so the chart
 * follows the light and dark themes. With `groupBy` (the currency, say) each value of that column
 * gets a chart and an axis of its own: amounts in yen and in dollars never share a scale.
 */
import * as React from 'react';
import { Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useTheme } from 'styled-components';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { downloadCsv, toCsv, type Cell } from '../csv';

export interface Column {
  key: string;
  label: string;
}

type Theme = { colors: Record<string, string> };

const PALETTE = ['primary600', 'success500', 'danger500', 'warning500', 'secondary500', 'alternative500'];

export function ChartCard(props: {
  id: string;
  title: string;
  columns: Column[];
  rows: Array<Record<string, Cell>>;
  /** Column keys drawn as bars (numeric); the first column is the category axis. */
  series: string[];
  /** A column whose values each get their own chart (the table and the CSV keep every row). */
  groupBy?: string;
  empty?: string;
}) {
  const { id, title, columns, rows, series, groupBy } = props;
  const theme = useTheme() as unknown as Theme;
  const [view, setView] = React.useState<'chart' | 'table'>('chart');
  const header = columns.map((c) => c.label);
  const cells = rows.map((r) => columns.map((c) => r[c.key] ?? null));
  const chartRows = rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, series.includes(c.key) ? Number(r[c.key] ?? 0) : r[c.key]])));
  const color = (i: number) => theme.colors?.[PALETTE[i % PALETTE.length]!] ?? '#4945ff';
  return (
    <Box padding={4} background="neutral0" hasRadius shadow="tableShadow" data-chart={id}>
      <Flex justifyContent="space-between" paddingBottom={3}>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
        <Flex gap={2}>
          <Button variant="tertiary" size="S" onClick={() => setView(view === 'chart' ? 'table' : 'chart')} data-action="toggle-view">
            {view === 'chart' ? 'Table' : 'Chart'}
          </Button>
          <Button variant="secondary" size="S" startIcon={<Download />} data-action="csv" disabled={rows.length === 0} onClick={() => downloadCsv(`${id}.csv`, toCsv(header, cells))}>
            CSV
          </Button>
        </Flex>
      </Flex>
      {rows.length === 0 ? (
        <Typography textColor="neutral600">{props.empty ?? 'Nothing in this period.'}</Typography>
      ) : view === 'chart' ? (
        <Flex direction="column" alignItems="stretch" gap={4} data-view="chart">
          {groups(chartRows, groupBy).map(([group, data]) => (
            <Box key={group ?? ''} data-group={group ?? undefined}>
              {group !== null ? (
                <Typography variant="sigma" textColor="neutral600" tag="h3">
                  {`${columns.find((c) => c.key === groupBy)?.label ?? groupBy}: ${group.toUpperCase()}`}
                </Typography>
              ) : null}
              <ResponsiveContainer width="100%" height={260}>
                <BarChart data={data}>
                  <CartesianGrid strokeDasharray="3 3" stroke={theme.colors?.neutral200} />
                  <XAxis dataKey={columns[0]!.key} stroke={theme.colors?.neutral600} fontSize={12} />
                  <YAxis stroke={theme.colors?.neutral600} fontSize={12} />
                  <Tooltip contentStyle={{ background: theme.colors?.neutral0, color: theme.colors?.neutral800, border: `1px solid ${theme.colors?.neutral200}` }} />
                  <Legend />
                  {series.map((key, i) => (
                    <Bar key={key} dataKey={key} name={columns.find((c) => c.key === key)?.label ?? key} fill={color(i)} isAnimationActive={false} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            </Box>
          ))}
        </Flex>
      ) : (
        <Box data-view="table">
          <Table colCount={columns.length} rowCount={rows.length + 1}>
            <Thead>
              <Tr>
                {columns.map((c) => (
                  <Th key={c.key}>
                    <Typography variant="sigma">{c.label}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {cells.map((r, i) => (
                <Tr key={i}>
                  {r.map((v, j) => (
                    <Td key={j}>
                      <Typography>{v === null ? '' : String(v)}</Typography>
                    </Td>
                  ))}
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
      )}
    </Box>
  );
}

/** The rows split by the values of `key`, in order of first appearance; one unnamed group without a key. */
function groups<R extends Record<string, unknown>>(rows: R[], key: string | undefined): Array<[string | null, R[]]> {
  if (!key) return [[null, rows]];
  const byValue = new Map<string, R[]>();
  for (const r of rows) {
    const value = String(r[key] ?? '');
    byValue.set(value, [...(byValue.get(value) ?? []), r]);
  }
  return [...byValue.entries()];
}

export function Stat({ label, value, hint }: { label: string; value: React.ReactNode; hint?: string }) {
  return (
    <Box padding={4} background="neutral0" hasRadius shadow="tableShadow" height="100%">
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <Box paddingTop={1}>
        <Typography variant="beta">{value}</Typography>
      </Box>
      {hint ? (
        <Typography variant="pi" textColor="neutral600">
          {hint}
        </Typography>
      ) : null}
    </Box>
  );
}
