'use strict';
// Turns bench/results.json into the table in bench/README.md and bench/chart.svg,
// so both always show the latest run.
const fs = require('node:fs');
const path = require('node:path');

const README = path.join(__dirname, 'README.md');
const CHART = path.join(__dirname, 'chart.svg');
const NAMES = {
	a: 'this trigger',
	b: 'Webhook + Header Auth + IF',
	c: 'Webhook + IF (no auth)',
	d: 'bare Webhook',
};

function microTable(micro) {
	const rows = [
		['Boticord Trigger', micro],
		['Botisimo Trigger', micro.botisimo],
		['Webhook node + Header Auth', micro.webhookHeaderAuth],
		['Webhook node, no auth', micro.webhookNoAuth],
	].map(
		([name, m]) =>
			`| ${name} | ${m.eventsPerSecond.toLocaleString('en')} | ${m.p50us} | ${m.p99us} |`,
	);
	return [
		`Micro (\`webhook()\` alone, ${micro.calls.toLocaleString('en')} calls each, ${micro.mix}, Node ${micro.node}):`,
		'',
		'| Candidate | events/s | p50 µs | p99 µs |',
		'| --- | --- | --- | --- |',
		...rows,
		'',
		`Ratios: Boticord ÷ Webhook+Header Auth ${micro.ratioVsWebhookNode}×, Botisimo ÷ Webhook+Header Auth ${micro.botisimo.ratioVsWebhookNode}×.`,
	].join('\n');
}

function e2eTable(provider, figures) {
	const lines = [];
	for (const { concurrency, unselected, results } of figures.scenarios) {
		lines.push(
			'',
			`${provider}, ${Math.round(unselected * 100)} % unselected, ${concurrency} concurrent:`,
			'',
			'| Workflow | events/s (done) | acked events/s | executions/s | ack p50 ms | ack p99 ms | executions |',
			'| --- | --- | --- | --- | --- | --- | --- |',
			...Object.entries(results).map(
				([name, r]) =>
					`| (${name}) ${NAMES[name]} | ${r.eventsPerSecond} | ${r.ackedEventsPerSecond} | ${r.executionsPerSecond} | ${r.ackP50ms} | ${r.ackP99ms} | ${r.executionsCreated} |`,
			),
		);
	}
	lines.push(
		'',
		`${provider} ÷ (b): **${figures.throughputRatio90Filtered}×** at 90 % unselected, **${figures.throughputRatio0Filtered}×** at 0 %, p99 ack ${figures.p99AckRatio}× (10 concurrent); ÷ (c): ${figures.throughputRatio90FilteredVsNoAuth}× and ${figures.throughputRatio0FilteredVsNoAuth}×.`,
	);
	return lines.join('\n');
}

function renderTables(results) {
	const parts = [`Measured ${results.measuredAt}.`, ''];
	if (results.micro) parts.push(microTable(results.micro));
	if (results.e2e) {
		parts.push(
			'',
			`Real n8n ${results.e2e.n8n}, SQLite, ${results.e2e.eventsPerContender} events per workflow and scenario, sent ${results.e2e.chunk} at a time to each workflow in turn:`,
			e2eTable('Boticord', results.e2e),
			e2eTable('Botisimo', results.e2e.botisimo),
		);
	}
	if (results.gateway) parts.push('', gatewayTable(results.gateway));
	if (results.deliveryMemory) parts.push('', deliveryMemoryTable(results.deliveryMemory));
	return parts.join('\n');
}

const MEMORY_NAMES = {
	p: 'Botisimo Trigger, ids kept in static data (1,000 stored)',
	m: 'Botisimo Trigger, ids in memory only (option off: the cost before)',
	b: 'Webhook + Header Auth + IF',
};

/** What keeping accepted ids in the workflow's static data costs n8n, per database. */
function deliveryMemoryTable(memory) {
	const lines = [
		`Botisimo message ids kept in static data, in n8n ${memory.n8n}, ${memory.eventsPerContender} events per workflow and scenario, ${memory.chunk} at a time to each in turn, 10 in flight:`,
	];
	for (const { database, scenarios, staticDataBytes } of memory.runs) {
		lines.push(
			'',
			`${database} (static data of (p) at the end: ${staticDataBytes.toLocaleString('en')} bytes):`,
			'',
			'| Workflow | events | n8n CPU ms per event | events/s (done) | ack p50 ms | ack p99 ms |',
			'| --- | --- | --- | --- | --- | --- |',
		);
		for (const { unselected, results } of scenarios) {
			for (const [name, r] of Object.entries(results)) {
				lines.push(
					`| (${name}) ${MEMORY_NAMES[name]} | ${Math.round(unselected * 100)} % unselected | ${r.n8nCpuMsPerEvent} | ${r.eventsPerSecond} | ${r.ackP50ms} | ${r.ackP99ms} |`,
				);
			}
		}
	}
	return lines.join('\n');
}

/** n8n's CPU per notification through Boticord's gateway and through the HTTPS webhook. */
function gatewayTable(gateway) {
	const { gateway: viaGateway, webhook } = gateway.n8nCpuMsPerNotification;
	return [
		`Boticord notifications in n8n ${gateway.n8n}, ${gateway.notifications} per route and kind: n8n's CPU ms per notification (its idle CPU, ${gateway.idleCpuMsPerSecond} ms/s, subtracted):`,
		'',
		'| Route | selected | unselected |',
		'| --- | --- | --- |',
		`| WebSocket gateway (Boticord Gateway Trigger) | ${viaGateway.selected} | ${viaGateway.unselected} |`,
		`| HTTPS webhook (Boticord Trigger) | ${webhook.selected} | ${webhook.unselected} |`,
		'',
		`A selected notification costs n8n ${gateway.webhookOverGatewaySelected}× more CPU through the webhook than through the gateway; an unselected one, ${webhook.unselected} ms against ${viaGateway.unselected} (the gateway's never reaches n8n's HTTP stack).`,
	].join('\n');
}

/** A grouped bar chart: events/s per workflow, per scenario, for Boticord. */
function renderChart(e2e) {
	const scenarios = e2e.scenarios;
	const colors = { a: '#7A5CFF', b: '#E07A1F', c: '#9AA0A6', d: '#5F6368' };
	const max = Math.max(
		...scenarios.flatMap((s) => Object.values(s.results).map((r) => r.eventsPerSecond)),
	);
	const width = 760;
	const height = 340;
	const left = 60;
	const bottom = 60;
	const plotHeight = height - bottom - 40;
	const groupWidth = (width - left - 20) / scenarios.length;
	const barWidth = (groupWidth - 24) / 4;
	const y = (value) => 40 + plotHeight - (value / max) * plotHeight;
	const bars = scenarios.flatMap((scenario, i) =>
		['a', 'b', 'c', 'd'].map((name, j) => {
			const value = scenario.results[name].eventsPerSecond;
			const x = left + i * groupWidth + 12 + j * barWidth;
			return `<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${(40 + plotHeight - y(value)).toFixed(1)}" fill="${colors[name]}"><title>${NAMES[name]}: ${value} events/s</title></rect>`;
		}),
	);
	const labels = scenarios.map(
		(s, i) =>
			`<text x="${(left + i * groupWidth + groupWidth / 2).toFixed(1)}" y="${height - bottom + 20}" text-anchor="middle">${Math.round(s.unselected * 100)} % unselected, ${s.concurrency} concurrent</text>`,
	);
	const legend = ['a', 'b', 'c', 'd'].map(
		(name, j) =>
			`<rect x="${left + j * 175}" y="${height - 22}" width="12" height="12" fill="${colors[name]}"/><text x="${left + j * 175 + 18}" y="${height - 12}">${NAMES[name]}</text>`,
	);
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
		`<rect width="${width}" height="${height}" fill="#fff"/>`,
		`<text x="${left}" y="22" font-size="14" font-weight="bold">Boticord events handled per second in n8n ${e2e.n8n} (higher is better)</text>`,
		`<line x1="${left}" y1="${40 + plotHeight}" x2="${width - 20}" y2="${40 + plotHeight}" stroke="#333"/>`,
		`<text x="${left - 8}" y="${y(max) + 4}" text-anchor="end">${Math.round(max)}</text>`,
		`<text x="${left - 8}" y="${40 + plotHeight}" text-anchor="end">0</text>`,
		...bars,
		...labels,
		...legend,
		'</svg>',
		'',
	].join('\n');
}

/** Rewrites the generated part of bench/README.md and, with e2e figures, the chart. */
function writeReport(results) {
	const readme = fs.readFileSync(README, 'utf8');
	const start = '<!-- results:start -->';
	const end = '<!-- results:end -->';
	const updated = `${readme.slice(0, readme.indexOf(start) + start.length)}\n${renderTables(results)}\n${readme.slice(readme.indexOf(end))}`;
	fs.writeFileSync(README, updated);
	if (results.e2e) fs.writeFileSync(CHART, renderChart(results.e2e));
}

module.exports = { writeReport };
