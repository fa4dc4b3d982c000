package io.mcpsession.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.ClassMetadata;

/**
 * Matches a store configuration when {@code mcp.session.store.type} names its type, or is not set (then the
 * configurations' own conditions pick the first available, in detection order).
 */
class StoreCondition extends SpringBootCondition {

    static final String PROPERTY = "mcp.session.store.type";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String sourceClass = (metadata instanceof ClassMetadata classMetadata) ? classMetadata.getClassName() : "";
        ConditionMessage.Builder message = ConditionMessage.forCondition("Session store", sourceClass);
        StoreType required = StoreConfigurations.typeOf(sourceClass);
        BindResult<StoreType> specified = Binder.get(context.getEnvironment()).bind(PROPERTY, StoreType.class);
        if (!specified.isBound()) {
            return ConditionOutcome.match(message.because("automatic store type"));
        }
        if (specified.get() == required) {
            return ConditionOutcome.match(message.because(PROPERTY + "=" + specified.get()));
        }
        return ConditionOutcome.noMatch(message.because(PROPERTY + "=" + specified.get()));
    }

}
