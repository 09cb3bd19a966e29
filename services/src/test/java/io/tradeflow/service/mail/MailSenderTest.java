package io.tradeflow.service.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.tradeflow.config.MailConfig;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sender against GreenMail, a real SMTP server on a free port. */
class MailSenderTest {
    private GreenMail smtp;

    @BeforeEach
    void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    @Test
    void deliversAPlainTextMailOverSmtp() throws Exception {
        MailSender sender = new MailSender(new MailConfig("127.0.0.1", smtp.getSmtp().getPort(),
                "TradeFlow <no-reply@tradeflow.test>", "", "", false));
        sender.send("trader@example.com", "Héllo", "first line\nsecond line: ünïcode");

        assertThat(smtp.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("Héllo");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("trader@example.com");
        assertThat(mail.getFrom()[0].toString()).contains("no-reply@tradeflow.test");
        assertThat(GreenMailUtil.getBody(mail)).contains("second line");
    }

    @Test
    void withoutAHostMailIsOffAndSendingSaysSo() {
        MailSender sender = new MailSender(new MailConfig("", 25, "x@y.z", "", "", true));
        assertThat(sender.enabled()).isFalse();
        assertThatThrownBy(() -> sender.send("a@b.c", "s", "t")).isInstanceOf(MailSender.MailDisabledException.class)
                .hasMessageContaining("mail.smtp.host");
    }
}
