/** Lexical helpers shared by the URI and header parsers. */
package org.siphon.core.internal.parse;
