package io.tradeflow.service.mail;

import io.tradeflow.config.MailConfig;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * Sends plain-text mail over SMTP with Jakarta Mail (Angus). Blocking: call it from a dashboard or
 * background thread, never from the ring or an event loop. With no host configured it is disabled
 * and {@link #send} throws {@link MailDisabledException}.
 */
public final class MailSender {
    private static final int TIMEOUT_MS = 10_000;

    private final MailConfig config;
    private final Session session;

    public MailSender(MailConfig config) {
        this.config = config;
        this.session = config.enabled() ? session(config) : null;
    }

    /** Mail cannot be sent because no SMTP host is configured. */
    public static final class MailDisabledException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public MailDisabledException() {
            super("mail is not configured on this server (mail.smtp.host is empty)");
        }
    }

    public boolean enabled() {
        return session != null;
    }

    /** Sends one message; throws {@link MessagingException} when the server refuses or cannot be reached. */
    public void send(String to, String subject, String text) throws MessagingException {
        if (session == null) {
            throw new MailDisabledException();
        }
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(config.from()));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
        message.setSubject(subject, StandardCharsets.UTF_8.name());
        message.setText(text, StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        Transport.send(message);
    }

    private static Session session(MailConfig config) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", config.host());
        p.put("mail.smtp.port", Integer.toString(config.port()));
        p.put("mail.smtp.connectiontimeout", Integer.toString(TIMEOUT_MS));
        p.put("mail.smtp.timeout", Integer.toString(TIMEOUT_MS));
        p.put("mail.smtp.writetimeout", Integer.toString(TIMEOUT_MS));
        if (config.starttls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (config.username().isEmpty()) {
            return Session.getInstance(p);
        }
        p.put("mail.smtp.auth", "true");
        return Session.getInstance(p, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(config.username(), config.password());
            }
        });
    }
}
