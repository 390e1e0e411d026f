/**
 * The command line (picocli): each command reads inputs, calls one stage entry point and renders its result. No analysis logic lives here.
 */
package io.meshwarden.cli;
