package com.amazonaws.services.lambda.runtime.events.models.dynamodb;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

public class AttributeValue {
    private String s;
    private String n;
    private ByteBuffer b;
    private List<String> sS;
    private List<String> nS;
    private List<ByteBuffer> bS;
    private Map<String, AttributeValue> m;
    private List<AttributeValue> l;
    private Boolean nULLValue;
    private Boolean bOOL;

    public AttributeValue() {}
    public AttributeValue(String s) { this.s = s; }

    public void setS(String s) { this.s = s; }
    public String getS() { return s; }
    public void setN(String n) { this.n = n; }
    public String getN() { return n; }
    public void setB(ByteBuffer b) { this.b = b; }
    public ByteBuffer getB() { return b; }
    public List<String> getSS() { return sS; }
    public void setSS(Collection<String> sS) { this.sS = sS == null ? null : new ArrayList<>(sS); }
    public List<String> getNS() { return nS; }
    public void setNS(Collection<String> nS) { this.nS = nS == null ? null : new ArrayList<>(nS); }
    public List<ByteBuffer> getBS() { return bS; }
    public void setBS(Collection<ByteBuffer> bS) { this.bS = bS == null ? null : new ArrayList<>(bS); }
    public Map<String, AttributeValue> getM() { return m; }
    public void setM(Map<String, AttributeValue> m) { this.m = m; }
    public List<AttributeValue> getL() { return l; }
    public void setL(Collection<AttributeValue> l) { this.l = l == null ? null : new ArrayList<>(l); }
    public void setNULL(Boolean nULLValue) { this.nULLValue = nULLValue; }
    public Boolean getNULL() { return nULLValue; }
    public Boolean isNULL() { return nULLValue; }
    public void setBOOL(Boolean bOOL) { this.bOOL = bOOL; }
    public Boolean getBOOL() { return bOOL; }
    public Boolean isBOOL() { return bOOL; }
}
