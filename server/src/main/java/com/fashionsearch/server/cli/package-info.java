/** The {@code fashion} command line: thin picocli commands over the libraries. */
package com.fashionsearch.server.cli;
