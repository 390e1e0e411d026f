/**
 * Outputs: renderers for connectivity lists (np-guard formats), exposure, findings (table, JSON, Markdown, SARIF, HTML), graphs and policy intent. Pure string building; no analysis.
 */
package io.meshwarden.report;
