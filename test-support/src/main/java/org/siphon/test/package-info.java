/** Unit-test support for Siphon modules: the core's real message model, context, store and database behind API types, stubs and a loopback peer. */
package org.siphon.test;
