package io.tokenhub.gateway.keys;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A customer account, keyed by the id its identity provider gives it. */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The account with {@code id}, created now if it is new. */
    public static Account findOrCreate(String id) {
        Account account = findById(id);
        if (account == null) {
            account = new Account();
            account.id = id;
            account.createdAt = Instant.now();
            account.persist();
        }
        return account;
    }
}
