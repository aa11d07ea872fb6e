package lambkin.runtime;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Date;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Plain JSON values to the types a handler declares and back, by reflection, following the
 * settings of AWS's default serializer (aws-lambda-java-serialization's Jackson mapper): unknown
 * properties ignored, setters of any visibility and public fields written, a single value accepted
 * where an array is declared, an empty string read as null for objects, unknown enum names read as
 * null; on output public getters and public fields, null properties left out, Java records by
 * their components.
 */
final class JsonMapper {
    private JsonMapper() {
    }

    // ---- JSON value → declared type ----

    static Object toType(Object value, Type type) throws Exception {
        return toType(value, type, EventRules.isSupportedEvent(rawClass(type)));
    }

    /** `events`: the declared type is an event AWS's serializer knows (EventRules). */
    private static Object toType(Object value, Type type, boolean events) throws Exception {
        Class<?> raw = rawClass(type);
        if (raw == Object.class) return value;
        if (raw.isPrimitive()) {
            if (value == null || "".equals(value)) return primitiveDefault(raw);
            return scalar(value, box(raw));
        }
        if (value == null) return null;
        if (raw == Optional.class) return Optional.ofNullable(toType(value, typeArgument(type, 0), events));
        if (isScalar(raw)) return scalar(value, raw);
        if (raw.isEnum()) return enumValue(raw, value);
        if ("".equals(value)) return null;
        // Jackson reads binary values from base64 text.
        if ((raw == ByteBuffer.class || raw == byte[].class) && value instanceof String) {
            byte[] bytes = Base64.getMimeDecoder().decode((String) value);
            return raw == byte[].class ? bytes : ByteBuffer.wrap(bytes);
        }
        if (raw == Date.class) return toDate(value, events);
        if (events && EventRules.isJodaDateTime(raw)) return raw.getMethod("parse", String.class).invoke(null, value.toString());
        if (events && EventRules.isS3Event(raw)) return S3EventReader.read(value, raw);
        if (Map.class.isAssignableFrom(raw)) return toMap(value, type, raw, events);
        if (Collection.class.isAssignableFrom(raw)) return toCollection(value, type, raw, events);
        if (raw.isArray()) return toArray(value, type, raw, events);
        if (!(value instanceof Map)) throw mismatch(raw, value);
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        return raw.isRecord() ? toRecord(object, raw, events) : toBean(object, raw, events);
    }

    /**
     * A date: with an event's rules as epoch seconds (AWS's DateModule; 0 is null), otherwise as
     * Jackson reads one: epoch milliseconds, or ISO-8601 text.
     */
    private static Date toDate(Object value, boolean events) {
        if (value instanceof Number) {
            double n = ((Number) value).doubleValue();
            if (!events) return new Date(((Number) value).longValue());
            return n == 0.0 ? null : new Date((long) (n * 1000.0));
        }
        if (value instanceof String) {
            String text = (String) value;
            try {
                double n = Double.parseDouble(text);
                return toDate(n, events);
            } catch (NumberFormatException e) {
                try {
                    return Date.from(OffsetDateTime.parse(text).toInstant());
                } catch (DateTimeParseException notOffset) {
                    return Date.from(Instant.parse(text.endsWith("Z") ? text : text + "Z"));
                }
            }
        }
        throw mismatch(Date.class, value);
    }

    private static boolean isScalar(Class<?> c) {
        return c == String.class || Number.class.isAssignableFrom(c) || c == Boolean.class || c == Character.class;
    }

    private static Object scalar(Object value, Class<?> target) {
        if (target == String.class) {
            if (value instanceof Map || value instanceof List) throw mismatch(target, value);
            return value.toString();
        }
        if (target == Boolean.class) {
            if (value instanceof Boolean) return value;
            if (value instanceof String && ("true".equals(value) || "false".equals(value))) return Boolean.valueOf((String) value);
            if (value instanceof Number) return ((Number) value).intValue() != 0;
            throw mismatch(target, value);
        }
        if (target == Character.class) {
            if (value instanceof String && ((String) value).length() == 1) return ((String) value).charAt(0);
            throw mismatch(target, value);
        }
        BigDecimal n;
        if (value instanceof Number) n = new BigDecimal(value.toString());
        else if (value instanceof String) {
            try {
                n = new BigDecimal(((String) value).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Cannot deserialize value of type `" + target.getName() + "` from String \"" + value + "\": not a valid representation");
            }
        } else throw mismatch(target, value);
        if (target == Integer.class) return n.intValue();
        if (target == Long.class) return n.longValue();
        if (target == Double.class) return n.doubleValue();
        if (target == Float.class) return n.floatValue();
        if (target == Short.class) return n.shortValue();
        if (target == Byte.class) return n.byteValue();
        if (target == BigDecimal.class) return n;
        if (target == BigInteger.class) return n.toBigInteger();
        if (target == Number.class) return value instanceof Number ? value : n;
        throw mismatch(target, value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> raw, Object value) {
        if (value instanceof Number) {
            Object[] constants = raw.getEnumConstants();
            int i = ((Number) value).intValue();
            return i >= 0 && i < constants.length ? constants[i] : null;
        }
        try {
            return Enum.valueOf((Class) raw, value.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> toMap(Object value, Type type, Class<?> raw, boolean events) throws Exception {
        if (!(value instanceof Map)) throw mismatch(raw, value);
        Map<Object, Object> out = SortedMap.class.isAssignableFrom(raw) ? new TreeMap<>() : new LinkedHashMap<>();
        Type keyType = typeArgument(type, 0);
        Type valueType = typeArgument(type, 1);
        for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
            out.put(toType(e.getKey(), keyType, events), toType(e.getValue(), valueType, events));
        }
        return out;
    }

    private static Collection<Object> toCollection(Object value, Type type, Class<?> raw, boolean events) throws Exception {
        Collection<Object> out = SortedSet.class.isAssignableFrom(raw) ? new TreeSet<>() : Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>();
        Type element = typeArgument(type, 0);
        for (Object item : asList(value)) out.add(toType(item, element, events));
        return out;
    }

    private static Object toArray(Object value, Type type, Class<?> raw, boolean events) throws Exception {
        Type element = type instanceof GenericArrayType ? ((GenericArrayType) type).getGenericComponentType() : raw.getComponentType();
        List<Object> items = asList(value);
        Object array = Array.newInstance(raw.getComponentType(), items.size());
        for (int i = 0; i < items.size(); i++) Array.set(array, i, toType(items.get(i), element, events));
        return array;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object value) {
        if (value instanceof List) return (List<Object>) value;
        List<Object> single = new ArrayList<>();
        single.add(value);
        return single;
    }

    private static Object toRecord(Map<String, Object> object, Class<?> raw, boolean events) throws Exception {
        RecordComponent[] components = raw.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = toType(object.get(components[i].getName()), components[i].getGenericType(), events);
        }
        Constructor<?> constructor = raw.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(args);
    }

    private static Object toBean(Map<String, Object> object, Class<?> raw, boolean events) throws Exception {
        if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            throw new IllegalArgumentException("Cannot construct instance of `" + raw.getName() + "` (abstract types need mappings to concrete types)");
        }
        Constructor<?> constructor;
        try {
            constructor = raw.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("Cannot construct instance of `" + raw.getName() + "` (no Creators, like default constructor, exist)");
        }
        constructor.setAccessible(true);
        Object bean = constructor.newInstance();
        for (Map.Entry<String, Object> e : object.entrySet()) {
            String property = events ? EventRules.propertyOf(raw, e.getKey()) : e.getKey();
            Method setter = setter(raw, property);
            if (setter != null) {
                setter.setAccessible(true);
                setter.invoke(bean, toType(e.getValue(), setter.getGenericParameterTypes()[0], events));
                continue;
            }
            Field field = publicField(raw, property);
            if (field != null) field.set(bean, toType(e.getValue(), field.getGenericType(), events));
        }
        return bean;
    }

    /**
     * The setter of a property; of overloads (the events' setEventName(String) and
     * setEventName(OperationType)), the String one, as AWS's mixins pick it.
     */
    private static Method setter(Class<?> raw, String property) {
        Method found = null;
        for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getParameterCount() == 1 && !Modifier.isStatic(m.getModifiers()) && m.getName().startsWith("set")
                        && m.getName().length() > 3 && property.equals(propertyName(m.getName().substring(3)))) {
                    if (m.getParameterTypes()[0] == String.class) return m;
                    if (found == null) found = m;
                }
            }
            if (found != null) return found;
        }
        return null;
    }

    private static Field publicField(Class<?> raw, String name) {
        for (Field f : raw.getFields()) {
            if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) return f;
        }
        return null;
    }

    /** java.beans naming (Jackson's USE_STD_BEAN_NAMING): "Name" → "name", "URL" → "URL". */
    static String propertyName(String suffix) {
        if (suffix.isEmpty()) return suffix;
        if (suffix.length() > 1 && Character.isUpperCase(suffix.charAt(0)) && Character.isUpperCase(suffix.charAt(1))) return suffix;
        return Character.toLowerCase(suffix.charAt(0)) + suffix.substring(1);
    }

    private static IllegalArgumentException mismatch(Class<?> target, Object value) {
        String token = value instanceof Map ? "START_OBJECT" : value instanceof List ? "START_ARRAY"
                : value instanceof String ? "VALUE_STRING" : value instanceof Boolean ? "VALUE_" + String.valueOf(value).toUpperCase()
                : value instanceof Double ? "VALUE_NUMBER_FLOAT" : "VALUE_NUMBER_INT";
        return new IllegalArgumentException("Cannot deserialize value of type `" + target.getName() + "` from " + token + " token");
    }

    private static Object primitiveDefault(Class<?> c) {
        if (c == boolean.class) return false;
        if (c == char.class) return '\0';
        return scalar(0, box(c));
    }

    private static Class<?> box(Class<?> c) {
        if (c == int.class) return Integer.class;
        if (c == long.class) return Long.class;
        if (c == double.class) return Double.class;
        if (c == float.class) return Float.class;
        if (c == boolean.class) return Boolean.class;
        if (c == short.class) return Short.class;
        if (c == byte.class) return Byte.class;
        if (c == char.class) return Character.class;
        return c;
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class) return (Class<?>) type;
        if (type instanceof ParameterizedType) return rawClass(((ParameterizedType) type).getRawType());
        if (type instanceof GenericArrayType) return Array.newInstance(rawClass(((GenericArrayType) type).getGenericComponentType()), 0).getClass();
        if (type instanceof WildcardType) return rawClass(((WildcardType) type).getUpperBounds()[0]);
        if (type instanceof TypeVariable) {
            Type[] bounds = ((TypeVariable<?>) type).getBounds();
            return bounds.length > 0 ? rawClass(bounds[0]) : Object.class;
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType) {
            Type[] args = ((ParameterizedType) type).getActualTypeArguments();
            if (index < args.length) return args[index];
        }
        return Object.class;
    }

    // ---- object → JSON value ----

    static Object toPlain(Object value) throws Exception {
        return toPlain(value, value != null && EventRules.isSupportedEvent(value.getClass()));
    }

    private static Object toPlain(Object value, boolean events) throws Exception {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) return value;
        if (value instanceof Date) {
            long millis = ((Date) value).getTime();
            return events ? (Object) (millis / 1000.0) : (Object) millis;
        }
        if (value instanceof ByteBuffer) {
            ByteBuffer buffer = ((ByteBuffer) value).duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof byte[]) return Base64.getEncoder().encodeToString((byte[]) value);
        if (events && EventRules.isJodaDateTime(value.getClass())) return value.toString();
        if (value instanceof Character || value instanceof Enum) return value instanceof Enum ? ((Enum<?>) value).name() : value.toString();
        if (value instanceof Optional) return toPlain(((Optional<?>) value).orElse(null), events);
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) out.put(String.valueOf(e.getKey()), toPlain(e.getValue(), events));
            return out;
        }
        if (value instanceof Iterable) {
            List<Object> out = new ArrayList<>();
            for (Object item : (Iterable<?>) value) out.add(toPlain(item, events));
            return out;
        }
        if (value.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) out.add(toPlain(Array.get(value, i), events));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Class<?> c = value.getClass();
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                Method accessor = rc.getAccessor();
                accessor.setAccessible(true);
                putIfPresent(out, rc.getName(), accessor.invoke(value), events);
            }
            return out;
        }
        for (Field f : c.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) putIfPresent(out, f.getName(), f.get(value), events);
        }
        for (Method m : c.getMethods()) {
            String property = getterProperty(m);
            if (property != null && events) property = EventRules.jsonNameOf(c, property);
            if (property == null || out.containsKey(property)) continue;
            m.setAccessible(true);
            putIfPresent(out, property, m.invoke(value), events);
        }
        return out;
    }

    private static void putIfPresent(Map<String, Object> out, String name, Object value, boolean events) throws Exception {
        if (value != null) out.put(name, toPlain(value, events));
    }

    private static String getterProperty(Method m) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) return null;
        String name = m.getName();
        if (name.startsWith("get") && name.length() > 3 && m.getReturnType() != void.class) return propertyName(name.substring(3));
        if (name.startsWith("is") && name.length() > 2 && m.getReturnType() == boolean.class) return propertyName(name.substring(2));
        return null;
    }
}
