package org.siphon.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files as OpenSSL writes them and Kamailio reads them: certificates ({@code CERTIFICATE},
 * a chain in order), private keys in PKCS#8 ({@code PRIVATE KEY}: RSA, EC, Ed25519) or PKCS#1
 * ({@code RSA PRIVATE KEY}). Encrypted keys and SEC1 EC keys are refused with the openssl command
 * that converts them. Stateless.
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)\\s*-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption, 1.2.840.113549.1.1.1, with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };

    private Pem() {
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
                out.add(new Block("ENCRYPTED " + m.group(1), new byte[0]));
                continue;
            }
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": a " + m.group(1) + " block is not base64");
            }
        }
        return out;
    }

    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (Block b : blocks(file)) {
            if (b.type().equals("CERTIFICATE") || b.type().equals("TRUSTED CERTIFICATE")) {
                chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no PEM certificate");
        }
        return chain;
    }

    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        for (Block b : blocks(file)) {
            switch (b.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der(), file);
                }
                case "RSA PRIVATE KEY" -> {
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1(b.der())));
                }
                case "EC PRIVATE KEY" -> throw new GeneralSecurityException(file + ": an EC key in SEC1 form; convert it with "
                        + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
                case "ENCRYPTED PRIVATE KEY", "ENCRYPTED RSA PRIVATE KEY", "ENCRYPTED EC PRIVATE KEY" ->
                        throw new GeneralSecurityException(file + ": the private key is encrypted; Siphon reads "
                                + "unencrypted keys ('openssl pkey -in KEY -out KEY.plain')");
                default -> {
                    // a certificate in the same file (Kamailio's default: key and certificate in cert.pem)
                }
            }
        }
        throw new GeneralSecurityException(file + " holds no PEM private key");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException(file + ": a private key of an algorithm the JDK does not read");
    }

    /** PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] { 0x02, 0x01, 0x00 }); // version 0
        body.writeBytes(RSA_ALGORITHM);
        body.writeBytes(der(0x04, pkcs1));
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
