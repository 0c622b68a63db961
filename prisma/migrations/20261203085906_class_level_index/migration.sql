-- CreateIndex
CREATE INDEX "SchoolClass_level_idx" ON "SchoolClass"("level");

